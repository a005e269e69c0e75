// Where an audit trail stops holding, as GET /v1/audit/verify reports it: the record (or, for a checkpoint,
// the last record it covers), that record's event, the field at fault and why.
//
// Record fields are named as stored (`detail`, `previousHash`, `sequence`, …); checkpoint fields are
// prefixed `checkpoint.` (`checkpoint.merkleRoot`); the chain head's are prefixed `head.`.
export interface AuditBreak {
  sequence: number;
  /** The event of the record at fault; null for a checkpoint, the head, or a record that is missing. */
  eventId: string | null;
  field: string;
  reason: string;
}

/** The earlier of two breaks (by sequence); the first when they tie or the second is absent. */
export function earliestBreak(a: AuditBreak | undefined, b: AuditBreak | undefined): AuditBreak | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.sequence < a.sequence ? b : a;
}
