// PutEvents' per-entry validation and the event each valid entry becomes. Invalid entries fail on
// their own (ErrorCode / ErrorMessage) while the others are accepted, as in AWS.

import { SANDBOX_ACCOUNT_ID } from '../contracts.ts';
import { busNameFromParameter } from './arns.ts';
import { isRecord, validationError } from './aws-input.ts';
import { type EventBridgeEvent, formatEventTime } from './event.ts';

/** AWS's limit on one PutEvents request, counted as AWS documents (eb-putevent-size). */
const MAX_REQUEST_BYTES = 256 * 1024;
/** A Time parameter counts as 14 bytes in that calculation. */
const TIME_BYTES = 14;

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface AcceptedEvent {
  busName: string;
  event: EventBridgeEvent;
}

export interface PutEventsIngestion {
  entries: PutEventsResultEntry[];
  accepted: AcceptedEvent[];
}

export interface IngestionContext {
  region: string;
  now: Date;
  newEventId(): string;
  busExists(name: string): boolean;
}

/** Throws ValidationException for a request AWS refuses as a whole (size); the rest is per entry. */
export function ingestPutEventsEntries(entries: unknown[], context: IngestionContext): PutEventsIngestion {
  if (entries.reduce((total: number, entry) => total + entrySize(entry), 0) > MAX_REQUEST_BYTES) {
    throw validationError('Total size of the entries in the request is over the limit.');
  }
  const ingestion: PutEventsIngestion = { entries: [], accepted: [] };
  for (const entry of entries) {
    const outcome = ingestEntry(isRecord(entry) ? entry : {}, context);
    if ('ErrorCode' in outcome) {
      ingestion.entries.push(outcome);
    } else {
      ingestion.entries.push({ EventId: outcome.event.id });
      ingestion.accepted.push(outcome);
    }
  }
  return ingestion;
}

function ingestEntry(
  entry: Record<string, unknown>,
  context: IngestionContext,
): AcceptedEvent | { ErrorCode: string; ErrorMessage: string } {
  for (const key of ['Source', 'DetailType', 'Detail']) {
    if (typeof entry[key] !== 'string' || entry[key] === '') {
      return invalidArgument(`Parameter ${key} is not valid. Reason: ${key} is a required argument.`);
    }
  }
  const source = entry.Source as string;
  const detail = parseDetail(entry.Detail as string);
  if (!detail) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  // Only AWS services may publish `aws.*` sources.
  if (source.startsWith('aws.')) {
    return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  }
  const resources = entry.Resources ?? [];
  if (!Array.isArray(resources) || !resources.every((resource) => typeof resource === 'string')) {
    return invalidArgument('Parameter Resources is not valid. Reason: Resources must be a list of strings.');
  }
  const time = entry.Time === undefined || entry.Time === null ? context.now : parseTime(entry.Time);
  if (!time) return invalidArgument('Parameter Time is not valid.');
  const busName = busNameFromParameter(
    typeof entry.EventBusName === 'string' ? entry.EventBusName : undefined,
  );
  if (!context.busExists(busName)) {
    return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
  }
  return {
    busName,
    event: {
      version: '0',
      id: context.newEventId(),
      'detail-type': entry.DetailType as string,
      source,
      account: SANDBOX_ACCOUNT_ID,
      time: formatEventTime(time),
      region: context.region,
      resources,
      detail,
    },
  };
}

function invalidArgument(message: string): { ErrorCode: string; ErrorMessage: string } {
  return { ErrorCode: 'InvalidArgument', ErrorMessage: message };
}

/** Detail must be a JSON object. */
function parseDetail(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON protocol sends timestamps as epoch seconds; ISO strings are accepted too. */
function parseTime(value: unknown): Date | undefined {
  const date =
    typeof value === 'number'
      ? new Date(value * 1000)
      : typeof value === 'string'
        ? new Date(value)
        : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

function entrySize(entry: unknown): number {
  if (!isRecord(entry)) return 0;
  const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  const resources = Array.isArray(entry.Resources) ? entry.Resources : [];
  return (
    (entry.Time === undefined ? 0 : TIME_BYTES) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    resources.reduce((total: number, resource) => total + bytes(resource), 0)
  );
}
