// The table environment variables of docs/backend.md and the physical names they carry. Free of AWS SDK
// and Powertools imports, so test support can name tables without creating any client or logger.
export const TABLE_ENV = {
  agents: 'AGENTS_TABLE',
  intents: 'INTENTS_TABLE',
  proofs: 'PROOFS_TABLE',
  workflows: 'WORKFLOWS_TABLE',
  gateState: 'GATE_STATE_TABLE',
  escalations: 'ESCALATIONS_TABLE',
  idempotency: 'IDEMPOTENCY_TABLE',
  webhooks: 'WEBHOOKS_TABLE',
  audit: 'AUDIT_TABLE',
  analytics: 'ANALYTICS_TABLE',
  alerts: 'ALERTS_TABLE',
  apiKeys: 'API_KEYS_TABLE',
  memory: 'MEMORY_TABLE',
} as const;

export type TableName = keyof typeof TABLE_ENV;

/** The physical name of a table, from its environment variable; a missing variable is a deployment bug. */
export function tableName(table: TableName): string {
  const variable = TABLE_ENV[table];
  const name = process.env[variable];
  if (!name) throw new Error(`environment variable ${variable} (the ${table} table) is not set`);
  return name;
}
