// The agent registry and what hangs off an agent: its memories, its intents' hash chain, the proofs of its
// results (agents.handler.ts, memories.handler.ts, intents.handler.ts, proofs.handler.ts).

import { MAX_LONG_TERM_MEMORIES_PER_AGENT } from '../../../core/memory/memory-limits.ts';
import { AgentIdSchema } from '../../agents/agent-id.ts';
import { ListAgentsQuerySchema } from '../../agents/list-agents-query.ts';
import { IntentDeclarationSchema, MAX_CONTEXT_BYTES } from '../../intents/intent-declaration.ts';
import { MemoryIdSchema, RecallQuerySchema, RememberBodySchema } from '../../memory/memory-request.ts';
import { ResultHashSchema } from '../../proofs/result-hash-parameter.ts';
import { describedObject, objectOf } from '../response-shapes.ts';
import type { RouteDoc } from '../route-doc.ts';
import { AgentRegistrationBodySchema } from '../unexported-request-schemas.ts';
import {
  BAD_BODY,
  BAD_BODY_OR_PARAMETERS,
  BAD_PAGE,
  BAD_PARAMETERS,
  lacksRole,
} from './error-descriptions.ts';

const AGENT_ID = { schema: AgentIdSchema, description: 'The agent’s id, its manifest’s `identity.agentId`.' };

const AGENT_DETAIL = describedObject(
  'The agent (agent-view.ts `AgentDetailView`): its summary — effective score and tier at the time of ' +
    'the request, trust components, breaker — and its registration (manifest, provider kind, identity, ' +
    'context, timestamps).',
);

const AGENT_NOT_FOUND = '`agent_not_found`: the caller’s tenant has no agent with this id.';

const EMBEDDER_UNAVAILABLE =
  '`embedder_unavailable`: the embedder failed; nothing was written. Retry-After is set when the failure ' +
  'may pass (throttling, a timeout, a 5xx).';

export const AGENT_ROUTES: readonly RouteDoc[] = [
  {
    method: 'POST',
    path: '/v1/agents',
    operationId: 'registerAgent',
    summary: 'Register an agent',
    description:
      'Registers an agent of the caller’s tenant from its manifest, cost per call, provider, identity and ' +
      'deployment context; its trust starts from those. Every problem is reported at once. An `openai` ' +
      'provider’s `apiKeyEnv` must name a variable ending in `_API_KEY`; `initialScore` needs the admin role.',
    tag: 'Agents',
    access: { kind: 'key', role: 'operator' },
    body: { schemas: [AgentRegistrationBodySchema], required: true, description: 'The registration.' },
    success: { status: 201, description: 'Registered.', schema: AGENT_DETAIL },
    errors: {
      400: BAD_BODY,
      403: `${lacksRole('operator')} \`admin_required\`: \`initialScore\` without the admin role.`,
      409: '`agent_exists`: the tenant already has an agent with the manifest’s agent id.',
    },
  },
  {
    method: 'GET',
    path: '/v1/agents',
    operationId: 'listAgents',
    summary: 'List agents',
    description: 'The tenant’s agents, paged.',
    tag: 'Agents',
    access: { kind: 'key', role: 'any' },
    query: ListAgentsQuerySchema,
    success: {
      status: 200,
      description: 'One page of agents.',
      schema: {
        type: 'object',
        description: 'One page; `nextToken` is absent on the last page.',
        properties: {
          agents: {
            type: 'array',
            items: describedObject('An agent’s summary (agent-view.ts `AgentSummaryView`).'),
          },
          nextToken: { type: 'string', description: 'The next page’s token, as the `nextToken` parameter.' },
        },
        required: ['agents'],
      },
    },
    errors: { 400: BAD_PAGE },
  },
  {
    method: 'GET',
    path: '/v1/agents/{id}',
    operationId: 'getAgent',
    summary: 'Get an agent',
    description: 'One of the tenant’s agents, its score and tier as of now.',
    tag: 'Agents',
    access: { kind: 'key', role: 'any' },
    pathParameters: { id: AGENT_ID },
    success: { status: 200, description: 'The agent.', schema: AGENT_DETAIL },
    errors: { 400: BAD_PARAMETERS, 404: AGENT_NOT_FOUND },
  },
  {
    method: 'POST',
    path: '/v1/agents/{id}/memories',
    operationId: 'rememberMemory',
    summary: 'Remember for an agent',
    description:
      'Stores a memory of the agent, short- or long-term, embedded for recall. `text` must not be blank and ' +
      'is bounded in tokens as well as characters.',
    tag: 'Memories',
    access: { kind: 'key', role: 'operator' },
    pathParameters: { id: AGENT_ID },
    body: { schemas: [RememberBodySchema], required: true, description: 'The memory.' },
    success: {
      status: 201,
      description: 'Remembered.',
      schema: describedObject('The memory (memory-view.ts `MemoryView`), without its vector.'),
    },
    errors: {
      400: BAD_BODY_OR_PARAMETERS,
      403: lacksRole('operator'),
      404: AGENT_NOT_FOUND,
      409:
        `\`memory_limit_reached\`: the agent holds ${MAX_LONG_TERM_MEMORIES_PER_AGENT} long-term memories ` +
        'already; delete some, or remember this one as short-term.',
      503: EMBEDDER_UNAVAILABLE,
    },
    retryAfterOn503: true,
  },
  {
    method: 'GET',
    path: '/v1/agents/{id}/memories',
    operationId: 'recallMemories',
    summary: 'Recall an agent’s memories',
    description:
      'The agent’s memories ranked for `query` (similarity, importance and recency merged), or the most ' +
      'recent ones without a query.',
    tag: 'Memories',
    access: { kind: 'key', role: 'any' },
    pathParameters: { id: AGENT_ID },
    query: RecallQuerySchema,
    success: {
      status: 200,
      description: 'The memories recalled.',
      schema: objectOf('What was recalled.', {
        memories: {
          type: 'array',
          items: describedObject('A memory and its score (memory-view.ts `RankedMemoryView`).'),
        },
        considered: { type: 'integer', minimum: 0, description: 'How many memories were ranked.' },
        embedder: { type: 'string', description: 'The embedder the query was embedded with.' },
      }),
    },
    errors: { 400: BAD_PARAMETERS, 404: AGENT_NOT_FOUND, 503: EMBEDDER_UNAVAILABLE },
    retryAfterOn503: true,
  },
  {
    method: 'DELETE',
    path: '/v1/agents/{id}/memories/{memoryId}',
    operationId: 'forgetMemory',
    summary: 'Forget a memory',
    description: 'Deletes one of the agent’s memories.',
    tag: 'Memories',
    access: { kind: 'key', role: 'operator' },
    pathParameters: {
      id: AGENT_ID,
      memoryId: { schema: MemoryIdSchema, description: 'The memory’s id, `lt_…` or `st_…`.' },
    },
    success: { status: 204, description: 'Deleted.' },
    errors: {
      400: BAD_PARAMETERS,
      403: lacksRole('operator'),
      404: `${AGENT_NOT_FOUND} \`memory_not_found\`: the agent has no memory with this id.`,
    },
  },
  {
    method: 'POST',
    path: '/v1/intents',
    operationId: 'declareIntent',
    summary: 'Declare an intent',
    description:
      'Declares what an agent is about to do and has it decided (ALLOW, DENY or ESCALATE) by the manifest, ' +
      'the trust tier and the Cedar policies; the declaration and the decision are appended to the agent’s ' +
      'hash chain. An action the manifest does not declare is a recorded DENY, not a 400. `requiredTier` ' +
      `must be a tier code \`T0\`…\`T5\`; \`context\` is any JSON object of at most ${MAX_CONTEXT_BYTES} bytes, ` +
      '16 levels deep, its numbers within ±2^53.',
    tag: 'Intents',
    access: { kind: 'key', role: 'operator' },
    body: { schemas: [IntentDeclarationSchema], required: true, description: 'The declaration.' },
    success: {
      status: 201,
      description: 'Declared and decided.',
      schema: describedObject(
        'The record: `intentId`, `hash`, `previousHash`, `sequence` in the agent’s chain, and the decision ' +
          'with its reasons.',
      ),
    },
    errors: {
      400: BAD_BODY,
      403: lacksRole('operator'),
      404: '`agent_not_found` naming `agentId`: the tenant has no such agent.',
      503: '`chain_contended`: another declaration of the same agent won the append; retry the request.',
    },
  },
  {
    method: 'GET',
    path: '/v1/agents/{id}/intents/verify',
    operationId: 'verifyIntentChain',
    summary: 'Verify an agent’s intent chain',
    description: 'Re-reads the agent’s intent records and checks every hash link up to the chain’s head.',
    tag: 'Intents',
    access: { kind: 'key', role: 'any' },
    pathParameters: { id: AGENT_ID },
    success: {
      status: 200,
      description: 'The verification.',
      schema: describedObject(
        'chain-integrity.ts `ChainIntegrity`: `valid`, `length`, and `brokenAt` (sequence, intent id, ' +
          'reason) when a link is broken.',
      ),
    },
    errors: { 400: BAD_PARAMETERS, 404: AGENT_NOT_FOUND },
  },
  {
    method: 'GET',
    path: '/v1/proofs/{hash}',
    operationId: 'getProof',
    summary: 'Get a result’s proof',
    description:
      'The L4 proof of a step’s result: PENDING until the workflow’s finish seals it into a Merkle batch, ' +
      'then SEALED with its path and root, `verified` recomputed on every read.',
    tag: 'Proofs',
    access: { kind: 'key', role: 'any' },
    pathParameters: {
      hash: { schema: ResultHashSchema, description: 'The result hash, 64 lowercase hex characters.' },
    },
    success: {
      status: 200,
      description: 'The proof.',
      schema: describedObject('proof-view.ts `ProofView`.'),
    },
    errors: { 400: BAD_PARAMETERS, 404: '`proof_not_found`: the tenant has no proof with this hash.' },
  },
];
