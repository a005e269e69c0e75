// The event as EventBridge delivers it to targets.

export interface EventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO 8601 with seconds precision, e.g. `2026-01-01T12:00:00Z`. */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** AWS's `time` field: ISO 8601 in UTC without fractional seconds. */
export function formatEventTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
