import type { ChildProcess } from 'node:child_process';

/**
 * Stops a child started with `detached: true` (its own process group) by signalling the whole group,
 * so launcher scripts and their children go too. SIGKILL follows if it ignores SIGTERM.
 */
export async function stopProcessGroup(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * A detached child outlives its parent. If this process exits without calling stop (a crash, a test
 * worker torn down), kill the group synchronously on the way out so no JVM is left behind.
 */
export function killGroupOnExit(child: ChildProcess): () => void {
  const onExit = () => {
    if (child.pid !== undefined && child.exitCode === null) signalGroup(child.pid, 'SIGKILL');
  };
  process.once('exit', onExit);
  return () => process.off('exit', onExit);
}
