// The action vocabulary agents may declare and request (SPEC §3 names search_web, process_data,
// generate_document; the rest cover the usual side effects an agent platform must gate).
// The list is closed on purpose: the Cedar schema enumerates actions, so every tenant policy is validated
// against this vocabulary at load time, and a manifest cannot declare an action no policy can speak about.
import type { Tier } from '../trust/tiers.ts';

export const AGENT_ACTIONS = [
  'search_web',
  'process_data',
  'generate_document',
  'review_document',
  'call_api',
  'write_file',
  'delete_data',
  'send_email',
  'execute_code',
] as const;

export type AgentAction = (typeof AGENT_ACTIONS)[number];

/**
 * The tier an action requires when the caller does not name one (a workflow step usually does: the
 * report pipeline asks T3 for search_web). Read-only work starts low; side effects outside the platform
 * (files, APIs, email) and irreversible or arbitrary effects (deletion, code) start high.
 */
export const BASELINE_REQUIRED_TIER: Readonly<Record<AgentAction, Tier>> = {
  search_web: 1,
  process_data: 2,
  generate_document: 1,
  review_document: 2,
  call_api: 2,
  write_file: 3,
  delete_data: 4,
  send_email: 3,
  execute_code: 4,
};
