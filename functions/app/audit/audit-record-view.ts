// An audit record as the API shows it: the record without the table's key and the per-field digests
// (those only serve verification; the verify route reports on them).
export interface AuditRecordView {
  sequence: number;
  eventId: string;
  type: string;
  source: string;
  occurredAt: string;
  recordedAt: string;
  subject: { agentId?: string; workflowId?: string };
  detail: unknown;
  previousHash: string;
  hash: string;
}

export function auditRecordView(item: Readonly<Record<string, unknown>>): AuditRecordView {
  return {
    sequence: item.sequence as number,
    eventId: item.eventId as string,
    type: item.type as string,
    source: item.source as string,
    occurredAt: item.occurredAt as string,
    recordedAt: item.recordedAt as string,
    subject: (item.subject ?? {}) as AuditRecordView['subject'],
    detail: item.detail,
    previousHash: item.previousHash as string,
    hash: item.hash as string,
  };
}
