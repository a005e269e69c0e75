// An alert as the API returns it: the stored item's fields (alert-item.ts), optional ones omitted.
import type { AlertItem } from './alert-item.ts';

export interface AlertView {
  alertId: string;
  tenantId: string;
  kind: string;
  severity: string;
  message: string;
  causeEventId: string;
  agentId?: string;
  workflowId?: string;
  createdAt: string;
  raisedAt: string;
  status: string;
}

export function alertView(item: AlertItem): AlertView {
  return {
    alertId: item.alertId,
    tenantId: item.tenantId,
    kind: item.kind,
    severity: item.severity,
    message: item.message,
    causeEventId: item.causeEventId,
    ...(item.agentId === undefined ? {} : { agentId: item.agentId }),
    ...(item.workflowId === undefined ? {} : { workflowId: item.workflowId }),
    createdAt: item.createdAt,
    raisedAt: item.raisedAt,
    status: item.status,
  };
}
