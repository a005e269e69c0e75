import type { TaskResource } from './integrations/task-resource.ts';

/** What the sandbox reads from a Task state to run it: its resource and its deadlines. */
export interface TaskStateSpec {
  resource: TaskResource;
  timeoutSeconds?: number;
  timeoutSecondsPath?: string;
  heartbeatSeconds?: number;
  heartbeatSecondsPath?: string;
}
