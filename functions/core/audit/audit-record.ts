// One record of a tenant's audit trail (SPEC §5 audit logger): every trustgate event, in the order the
// logger appended it, hash-chained so that changing, dropping, inserting or reordering records is detected.
//
//   fieldDigests[f] = SHA-256(canonical JSON of field f)           for f of HASHED_FIELDS
//   hash            = SHA-256(previousHash \n sequence \n digest(tenantId) \n … \n digest(detail))
//
// Hashing each field separately (rather than one digest over the whole record) is what lets verification
// name the field that was changed: when the stored digests still reproduce the stored hash, any field whose
// value no longer matches its digest is the one that was edited (audit-chain-verifier.ts).
//
// `sequence` is 1-based and gapless; the first record links to GENESIS_HASH. `recordedAt` never goes back
// within a tenant (max of the clock and the previous record's), so the trail is also ordered in time.
import { createHash } from 'node:crypto';
import type { JsonValue } from '../intents/canonical-json.ts';
import { canonicalJson } from '../intents/canonical-json.ts';
import { GENESIS_HASH } from '../intents/chain.ts';

export { GENESIS_HASH };

/** The fields covered by a digest each, in the order their digests enter the record hash. */
export const HASHED_FIELDS = [
  'tenantId',
  'eventId',
  'type',
  'source',
  'occurredAt',
  'recordedAt',
  'subject',
  'detail',
] as const;

export type HashedField = (typeof HASHED_FIELDS)[number];
export type FieldDigests = Record<HashedField, string>;

/** Whom the event is about, when its data names an agent or a workflow (the listing filters on it). */
export interface AuditSubject {
  agentId?: string;
  workflowId?: string;
}

export interface AuditRecord {
  sequence: number;
  tenantId: string;
  eventId: string;
  type: string;
  source: string;
  /** ISO 8601: when the fact happened (the event's occurredAt). */
  occurredAt: string;
  /** ISO 8601: when the logger appended it; never before the previous record's. */
  recordedAt: string;
  subject: AuditSubject;
  /** The event's data, as it was on the bus. */
  detail: JsonValue;
  previousHash: string;
  hash: string;
  fieldDigests: FieldDigests;
}

/** What the chain head keeps of the last record: enough to link and order the next one. */
export interface AuditChainTip {
  lastSequence: number;
  lastHash: string;
  lastRecordedAt: string;
}

/** The event being recorded, as the consumer received it. */
export interface AuditedEvent {
  tenantId: string;
  eventId: string;
  type: string;
  source: string;
  occurredAt: string;
  data: unknown;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The digest of one field's value. An absent value (an attribute removed from the item) gets the digest of
 * the empty text, which no canonical JSON value has, so it can never pass for a stored value.
 */
export function fieldDigest(value: unknown): string {
  if (value === undefined) return sha256('');
  try {
    return sha256(canonicalJson(value));
  } catch {
    // Not a JSON value (cannot come out of DynamoDB); it matches no stored digest either.
    return sha256('\u0000');
  }
}

export function fieldDigestsOf(values: Readonly<Record<HashedField, unknown>>): FieldDigests {
  const digests = {} as FieldDigests;
  for (const field of HASHED_FIELDS) digests[field] = fieldDigest(values[field]);
  return digests;
}

/** The record hash over its link, its position and its field digests (in HASHED_FIELDS order). */
export function recordHash(
  previousHash: string,
  sequence: number,
  digests: Readonly<Record<string, unknown>>,
): string {
  const parts = [previousHash, String(sequence), ...HASHED_FIELDS.map((field) => String(digests[field]))];
  return sha256(parts.join('\n'));
}

export function subjectOf(data: unknown): AuditSubject {
  const subject: AuditSubject = {};
  if (typeof data !== 'object' || data === null) return subject;
  const { agentId, workflowId } = data as Record<string, unknown>;
  if (typeof agentId === 'string') subject.agentId = agentId;
  if (typeof workflowId === 'string') subject.workflowId = workflowId;
  return subject;
}

/**
 * The record that follows `tip` (undefined: the first of the tenant's trail), recorded at `nowMs` or at
 * the previous record's time if the clock is behind it.
 */
export function buildAuditRecord(
  tip: AuditChainTip | undefined,
  event: AuditedEvent,
  nowMs: number,
): AuditRecord {
  const sequence = (tip?.lastSequence ?? 0) + 1;
  const previousHash = tip?.lastHash ?? GENESIS_HASH;
  const previousMs = tip ? Date.parse(tip.lastRecordedAt) : Number.NEGATIVE_INFINITY;
  const recordedAt = new Date(Math.max(nowMs, previousMs)).toISOString();
  const values = {
    tenantId: event.tenantId,
    eventId: event.eventId,
    type: event.type,
    source: event.source,
    occurredAt: event.occurredAt,
    recordedAt,
    subject: subjectOf(event.data),
    detail: event.data as JsonValue,
  };
  const fieldDigests = fieldDigestsOf(values);
  return {
    sequence,
    ...values,
    previousHash,
    hash: recordHash(previousHash, sequence, fieldDigests),
    fieldDigests,
  };
}

export function tipOf(record: AuditRecord): AuditChainTip {
  return { lastSequence: record.sequence, lastHash: record.hash, lastRecordedAt: record.recordedAt };
}
