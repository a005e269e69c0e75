// What the platform recorded, read back (audit.handler.ts, alerts.handler.ts, metrics.handler.ts): the
// audit trail and its verification, the alerts, the analytics counters.
import { ListAlertsQuerySchema } from '../../alerts/list-alerts-query.ts';
import { MetricsQuerySchema } from '../../analytics/metrics-route.ts';
import { ListAuditQuerySchema, VerifyAuditQuerySchema } from '../../audit/audit-queries.ts';
import { MAX_FULL_VERIFY_RECORDS } from '../../audit/audit-trail-config.ts';
import { describedObject, pageOf } from '../response-shapes.ts';
import type { RouteDoc } from '../route-doc.ts';
import { BAD_PAGE, BAD_PARAMETERS } from './error-descriptions.ts';

/** prometheus-exposition.ts PROMETHEUS_CONTENT_TYPE, without its parameters (a media type key cannot have them). */
export const PROMETHEUS_MEDIA_TYPE = 'text/plain';

export const RECORD_ROUTES: readonly RouteDoc[] = [
  {
    method: 'GET',
    path: '/v1/audit',
    operationId: 'listAuditRecords',
    summary: 'List audit records',
    description:
      'The tenant’s audit records, filtered by event type, agent, workflow and time (`from` ≤ `to`, ' +
      'inclusive bounds on when each was recorded), oldest first unless `order=desc`, paged.',
    tag: 'Audit',
    access: { kind: 'key', role: 'any' },
    query: ListAuditQuerySchema,
    success: {
      status: 200,
      description: 'One page.',
      schema: pageOf('audit-record-view.ts `AuditRecordView`.'),
    },
    errors: { 400: `${BAD_PAGE} \`to\` before \`from\` is refused naming \`to\`.` },
  },
  {
    method: 'GET',
    path: '/v1/audit/verify',
    operationId: 'verifyAuditTrail',
    summary: 'Verify the audit trail',
    description:
      'Re-reads the tenant’s trail and checks its hash chain: in full (from `fromSequence`, at most ' +
      `${MAX_FULL_VERIFY_RECORDS} records per answer; \`nextSequence\` says where to go on), or only after ` +
      'the last checkpoint (`mode=checkpoints`, which takes no `fromSequence`).',
    tag: 'Audit',
    access: { kind: 'key', role: 'any' },
    query: VerifyAuditQuerySchema,
    success: {
      status: 200,
      description: 'The verification.',
      schema: describedObject(
        'verify-audit-trail.ts `AuditVerification`: `valid`, what was checked, the head, the range re-read, ' +
          '`nextSequence` and the first broken record.',
      ),
    },
    errors: {
      400: `${BAD_PARAMETERS} \`fromSequence\` beyond the trail’s head, or with \`mode=checkpoints\`, names \`fromSequence\`.`,
    },
  },
  {
    method: 'GET',
    path: '/v1/alerts',
    operationId: 'listAlerts',
    summary: 'List alerts',
    description:
      'The tenant’s alerts, newest first, filtered by kind, severity and `since`, paged. Platform-wide ' +
      'alerts (dead-letter queues) are the alerts of tenant `platform`.',
    tag: 'Alerts',
    access: { kind: 'key', role: 'any' },
    query: ListAlertsQuerySchema,
    success: { status: 200, description: 'One page.', schema: pageOf('alert-view.ts `AlertView`.') },
    errors: { 400: BAD_PAGE },
  },
  {
    method: 'GET',
    path: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    description:
      'The analytics counters and histograms in the Prometheus text format: the caller’s tenant’s series; ' +
      'a platform admin’s key sees every tenant’s, or one with `tenant`. Errors are JSON like every other ' +
      'route’s.',
    tag: 'Operations',
    access: { kind: 'key', role: 'any' },
    query: MetricsQuerySchema,
    success: {
      status: 200,
      description: 'The exposition, never cached.',
      mediaType: PROMETHEUS_MEDIA_TYPE,
      schema: { type: 'string', description: 'Prometheus text exposition format 0.0.4.' },
    },
    errors: {
      400: BAD_PARAMETERS,
      403: '`forbidden`: `tenant` names another tenant and the key is not a platform admin’s.',
    },
  },
];
