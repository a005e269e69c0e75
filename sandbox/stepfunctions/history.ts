/** One event of GetExecutionHistory, details under `<eventType>EventDetails` as AWS names them. */
export interface HistoryEvent {
  timestamp: Date;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

/** The subset of the engine's event log the history is built from. */
export interface EngineEvent {
  type: string;
  index?: number;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  parentState?: { name: string };
  Error?: string;
  Cause?: unknown;
}

/**
 * The event history of one execution. Execution and task events are recorded by the sandbox;
 * state transitions come from the engine's event log and are translated to AWS event types.
 */
export class ExecutionHistory {
  private readonly events: HistoryEvent[] = [];

  add(type: string, details?: Record<string, unknown>): void {
    const id = this.events.length + 1;
    const event: HistoryEvent = { timestamp: new Date(), type, id, previousEventId: id - 1 };
    if (details) event[detailsKey(type)] = details;
    this.events.push(event);
  }

  list(): readonly HistoryEvent[] {
    return this.events;
  }

  recordEngineEvent(event: EngineEvent): void {
    const { state } = event;
    switch (event.type) {
      case 'StateEntered':
        if (!state) return;
        this.add(`${state.type}StateEntered`, { name: state.name, ...payload('input', state.input) });
        if (state.type === 'Map' || state.type === 'Parallel') this.add(`${state.type}StateStarted`);
        return;
      case 'StateExited':
        if (!state) return;
        if (state.type === 'Map' || state.type === 'Parallel') this.add(`${state.type}StateSucceeded`);
        this.add(`${state.type}StateExited`, { name: state.name, ...payload('output', state.output) });
        return;
      case 'StateFailed':
        if (state?.type === 'Map' || state?.type === 'Parallel') this.add(`${state.type}StateFailed`);
        return;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        this.add(event.type, { name: event.parentState?.name, index: event.index });
        return;
      // Execution events are recorded by the sandbox with AWS's details; AWS has no events for
      // retries, catches or Parallel branches (a retry shows as the task being scheduled again).
      default:
        return;
    }
  }
}

/** `{input: "<json>", inputDetails: {truncated: false}}`, the shape of state and task payloads. */
export function payload(field: 'input' | 'output', value: unknown): Record<string, unknown> {
  return { [field]: JSON.stringify(value ?? null), [`${field}Details`]: { truncated: false } };
}

function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type[0]?.toLowerCase()}${type.slice(1)}EventDetails`;
}
