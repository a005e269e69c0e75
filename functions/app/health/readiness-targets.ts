// READINESS_TABLES and READINESS_QUEUES, what GET /ready checks: JSON objects from a name (the table's name
// in docs/backend.md, the queue's consumer) to the physical table name or queue URL. Set by the stateless
// stack; a malformed value is a deployment bug and fails the function's cold start loudly.
import { z } from 'zod';

const TablesSchema = z.record(z.string().min(1).max(64), z.string().min(3).max(255));
const QueuesSchema = z.record(z.string().min(1).max(256), z.url());

export function parseReadinessTables(json: string | undefined): Record<string, string> {
  return parseTargets('READINESS_TABLES', json, TablesSchema, '{ "<table>": "<table name>" }');
}

export function parseReadinessQueues(json: string | undefined): Record<string, string> {
  return parseTargets('READINESS_QUEUES', json, QueuesSchema, '{ "<queue>": "<queue url>" }');
}

function parseTargets(
  variable: string,
  json: string | undefined,
  schema: z.ZodType<Record<string, string>>,
  shape: string,
): Record<string, string> {
  if (json === undefined || json === '') throw new Error(`environment variable ${variable} is not set`);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`${variable} is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${variable} is not a ${shape} object: ${parsed.error.message}`);
  return parsed.data;
}
