// How much memory this execution environment uses. Lambda gives each environment a process of its own, and
// the limit applies to that process: its resident set is the figure. An environment running in a worker
// thread shares its process (and so its resident set) with other threads; there its own V8 heap plus the
// memory its objects hold outside it (buffers) is what it uses.
import { isMainThread } from 'node:worker_threads';

export interface MemoryInUse {
  bytes: number;
  measure: 'rss' | 'thread heap';
}

export function memoryInUse(): MemoryInUse {
  if (isMainThread) return { bytes: process.memoryUsage.rss(), measure: 'rss' };
  const { heapTotal, external } = process.memoryUsage();
  return { bytes: heapTotal + external, measure: 'thread heap' };
}
