// One fuzz case per route key of the routed API handlers: which handler serves it, who calls (a key with
// the roles the route needs, so the fuzz reaches validation instead of stopping at 403), and the
// arbitrary of malformed requests for it (malformed-requests.ts). The valid-shaped parts mirror each
// route's contract (functions/app/**): a valid part alone never makes a request valid, because every
// request has at least one bad part, and none of the fuzz tenants has any record, so an id of the
// right form is one that does not exist.
import fc from 'fast-check';
import { ESCALATION_STATUSES } from '../../../functions/app/escalations/escalation-item.ts';
import { WORKFLOW_VIEW_STATUSES } from '../../../functions/app/workflows/list-workflows-query.ts';
import { ALERT_KINDS, ALERT_SEVERITIES } from '../../../functions/core/alerts/alert-kinds.ts';
import { type Caller, PLATFORM_TENANT } from '../../../functions/core/auth/caller.ts';
import { EVENT_TYPES, INGESTIBLE_EVENT_TYPES } from '../../../functions/core/events/event-catalog.ts';
import {
  MAX_MEMORY_TEXT_CHARACTERS,
  MAX_MEMORY_TEXT_TOKENS,
  MEMORY_LAYERS,
} from '../../../functions/core/memory/memory-limits.ts';
import { AGENT_ACTIONS } from '../../../functions/core/policy/agent-actions.ts';
import { CAPABILITY_LEVELS } from '../../../functions/core/policy/agent-manifest.ts';
import { DEPLOYMENT_ENVIRONMENTS } from '../../../functions/core/trust/context.ts';
import { CERTIFICATE_LEVELS, IDENTITY_VERIFICATION_LEVELS } from '../../../functions/core/trust/identity.ts';
import { testCaller } from '../../support/http-api-event.ts';
import type { RoutedHandler } from './fuzz-environment.ts';
import {
  absentIds,
  type BodySpec,
  badBodies,
  badLimit,
  badQueries,
  excessiveDepth,
  forgedPageTokens,
  longString,
  type MalformedRequest,
  malformedRequests,
  nestedJson,
  numberOutside,
  oddString,
  type QuerySpec,
  RawJson,
  stringOtherThan,
  tooLong,
  validBodies,
  validLimit,
} from './malformed-requests.ts';

export interface RouteFuzzCase {
  routeKey: string;
  handler: RoutedHandler;
  caller: Caller;
  requests: fc.Arbitrary<MalformedRequest>;
}

/** The tenant of the fuzz: no records, and every role, so routes get as far as their validation. */
export const FUZZ_TENANT = 'fuzz-tenant';
/** A second tenant without records, for callers of the wrong tenant. */
export const OTHER_FUZZ_TENANT = 'fuzz-other-tenant';
const FUZZ_TENANTS = [FUZZ_TENANT, OTHER_FUZZ_TENANT, PLATFORM_TENANT];
const tenantCaller = testCaller(FUZZ_TENANT, ['admin', 'operator', 'reviewer'], 3, 'fuzz-caller');
const platformCaller = testCaller(PLATFORM_TENANT, ['admin', 'operator', 'reviewer'], 3, 'fuzz-platform');

// ---------------------------------------------------------------------------------------------------
// Shared values

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,40}$/;
const identifier = fc.stringMatching(IDENTIFIER);
/** Strings no `^[A-Za-z0-9][A-Za-z0-9._:-]*$` identifier of at most `max` characters matches. */
function badIdentifier(max = 128): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('', ' ', '-leading', '.leading', 'has space', 'slash/inside', 'percent%2F', 'tab\t', 'ä'),
    oddString.filter((text) => !/^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(text)),
    tooLong(max).map((text) => `a${text.replace(/[^A-Za-z0-9]/g, 'b')}`),
  );
}
/** Free text of 1…`max` characters (unicode and control characters included), never blank. */
function freeText(max: number): fc.Arbitrary<string> {
  return fc
    .oneof(fc.string({ minLength: 1, maxLength: Math.min(max, 30) }), oddString)
    .filter((text) => text.length <= max && text.trim() !== '');
}
/** Empty, or longer than `max`. */
function badLength(max: number, allowEmpty = false): fc.Arbitrary<string> {
  return allowEmpty ? tooLong(max) : fc.oneof(fc.constant(''), tooLong(max));
}
const isoInstant = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString());
/** Strings z.iso.datetime({ offset: true }) refuses. */
const badIsoInstant = fc.oneof(
  fc.constantFrom(
    '',
    'yesterday',
    'now',
    '2026-13-01T00:00:00Z',
    '2026-01-01T25:00:00Z',
    '2026-01-01T00:00:00',
    '2026-01-01',
    '1700000000',
    '2026-01-01T00:00:00Z ',
  ),
  fc.string({ maxLength: 20 }).filter((text) => !/^\d{4}-\d\d-\d\dT/.test(text)),
  oddString,
);
const tierCode = fc.constantFrom('T0', 'T1', 'T2', 'T3', 'T4', 'T5');
const badTier = stringOtherThan(['T0', 'T1', 'T2', 'T3', 'T4', 'T5']);
const smallContext = fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 3,
});
/** Free-form JSON no DynamoDB item can hold, or whose numbers it would not return exactly. */
const unstorableJson = fc.oneof(
  excessiveDepth.map((depth) => nestedJson(depth, 'object')),
  excessiveDepth.map((depth) => nestedJson(depth, 'array')),
  longString(450_000, 600_000),
  fc.constantFrom(new RawJson('1e400'), new RawJson('9007199254740993'), new RawJson('-1e300')),
);

/** The body part of a route: refused bodies and, unless every body of the shape is refused, valid ones. */
function bodyPart(spec: BodySpec) {
  return { bad: badBodies(spec), valid: validBodies(spec) };
}

function queryPart(spec: QuerySpec) {
  return { bad: badQueries(spec), valid: spec.valid };
}

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Tenant ids of the right form that are none of the fuzz's callers' tenants. */
const otherTenantIds = fc
  .stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/)
  .filter((id) => !FUZZ_TENANTS.includes(id));
/** Strings TENANT_ID_PATTERN (core/auth/caller.ts) refuses. */
const badTenantId = fc.oneof(
  fc.constantFrom('', '-x', '_x', 'a#b', 'a/b', 'a b', 'a.b', 'ä'),
  oddString.filter((text) => !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(text)),
  tooLong(64).map((text) => `a${text.replace(/[^A-Za-z0-9]/g, 'b')}`),
);

const limitOnly = (extra: Record<string, fc.Arbitrary<string>> = {}) =>
  fc.record({ limit: validLimit, ...extra }, { requiredKeys: [] });

/** The paged-list query of agents, webhooks and API keys: limit, nextToken keyed by tenant. */
function pagedQuery(
  sortKey: string,
  extra: Omit<QuerySpec, 'valid' | 'known'> & { known?: string[] } = { refused: {} },
) {
  return {
    valid: limitOnly(),
    refused: {
      limit: badLimit,
      nextToken: forgedPageTokens(['tenantId', sortKey], { tenantId: FUZZ_TENANT }),
      ...extra.refused,
    },
    known: ['limit', 'nextToken', ...(extra.known ?? [])],
    ...(extra.combinations ? { combinations: extra.combinations } : {}),
  } satisfies QuerySpec;
}

// ---------------------------------------------------------------------------------------------------
// Bodies

const capability = fc.record({
  name: fc.constantFrom(...AGENT_ACTIONS),
  level: fc.constantFrom(...CAPABILITY_LEVELS),
  scopes: fc.array(freeText(200), { maxLength: 3 }),
});

const agentRegistration: BodySpec = {
  valid: fc.record(
    {
      manifest: fc.record({
        schemaVersion: fc.constant('1.0'),
        identity: fc.record(
          {
            agentId: identifier,
            name: freeText(200),
            role: freeText(64),
            version: freeText(64),
            description: fc.string({ maxLength: 200 }),
          },
          { requiredKeys: ['agentId', 'name', 'role'] },
        ),
        capabilities: fc.uniqueArray(capability, { selector: (c) => c.name, minLength: 1, maxLength: 4 }),
        constraints: fc.record(
          {
            maxTokensPerCall: fc.integer({ min: 1, max: 1_000_000 }),
            maxTimeoutMs: fc.integer({ min: 1, max: 600_000 }),
            allowedResourceTypes: fc.array(freeText(100), { minLength: 1, maxLength: 3 }),
          },
          { requiredKeys: [] },
        ),
      }),
      costPerCall: fc.double({ min: 0, max: 1_000, noNaN: true }),
      provider: fc.oneof(
        fc.constant({ kind: 'local' }),
        fc.record({ kind: fc.constant('bedrock'), modelId: freeText(256) }),
        fc.record({
          kind: fc.constant('openai'),
          baseUrl: fc.constantFrom('https://api.example.com/v1', 'http://127.0.0.1:8080'),
          model: freeText(256),
          apiKeyEnv: fc.constant('OPENAI_API_KEY'),
        }),
      ),
      identity: fc.record({
        verificationLevel: fc.constantFrom(...IDENTITY_VERIFICATION_LEVELS),
        certificate: fc.constantFrom(...CERTIFICATE_LEVELS),
      }),
      context: fc.record(
        {
          environment: fc.constantFrom(...DEPLOYMENT_ENVIRONMENTS),
          vpcIsolated: fc.boolean(),
          mtls: fc.boolean(),
          managedSecrets: fc.boolean(),
        },
        { requiredKeys: ['environment'] },
      ),
      initialScore: fc.double({ min: 0, max: 1_000, noNaN: true }),
    },
    { requiredKeys: ['manifest', 'costPerCall', 'identity', 'context'] },
  ),
  required: [
    'manifest',
    'costPerCall',
    'identity',
    'context',
    'manifest.schemaVersion',
    'manifest.identity',
    'manifest.identity.agentId',
    'manifest.identity.name',
    'manifest.identity.role',
    'manifest.capabilities',
    'manifest.capabilities.0.name',
    'manifest.capabilities.0.level',
    'manifest.capabilities.0.scopes',
    'identity.verificationLevel',
    'identity.certificate',
    'context.environment',
  ],
  typed: {
    manifest: ['object'],
    costPerCall: ['number'],
    provider: ['object'],
    'provider.kind': ['string'],
    identity: ['object'],
    'identity.verificationLevel': ['string'],
    'identity.certificate': ['string'],
    context: ['object'],
    'context.environment': ['string'],
    'context.vpcIsolated': ['boolean'],
    'context.mtls': ['boolean'],
    initialScore: ['number'],
    'manifest.schemaVersion': ['string'],
    'manifest.identity': ['object'],
    'manifest.identity.agentId': ['string'],
    'manifest.identity.name': ['string'],
    'manifest.identity.description': ['string'],
    'manifest.capabilities': ['array'],
    'manifest.capabilities.0': ['object'],
    'manifest.capabilities.0.name': ['string'],
    'manifest.capabilities.0.scopes': ['array'],
    'manifest.constraints': ['object'],
    'manifest.constraints.maxTokensPerCall': ['number'],
    'manifest.constraints.allowedResourceTypes': ['array'],
  },
  strict: [
    '',
    'manifest',
    'manifest.identity',
    'manifest.capabilities.0',
    'manifest.constraints',
    'identity',
    'context',
  ],
  refused: {
    costPerCall: numberOutside(0, 1_000),
    initialScore: numberOutside(0, 1_000),
    provider: fc.constantFrom(
      { kind: 'gpt' },
      { kind: 'local', model: 'x' },
      { kind: 'bedrock', modelId: '' },
      { kind: 'bedrock', modelId: 'm', region: 'mars-1' },
      { kind: 'openai', baseUrl: 'ftp://example.com', model: 'm' },
      { kind: 'openai', baseUrl: 'not a url', model: 'm' },
      // the provider would send the function's own AWS credentials to a URL the tenant chose
      { kind: 'openai', baseUrl: 'https://evil.example', model: 'm', apiKeyEnv: 'AWS_SECRET_ACCESS_KEY' },
    ),
    'identity.verificationLevel': stringOtherThan(IDENTITY_VERIFICATION_LEVELS),
    'identity.certificate': stringOtherThan(CERTIFICATE_LEVELS),
    'context.environment': stringOtherThan(DEPLOYMENT_ENVIRONMENTS),
    'manifest.schemaVersion': stringOtherThan(['1.0']),
    'manifest.identity.agentId': badIdentifier(128),
    'manifest.identity.name': badLength(200),
    'manifest.identity.role': badLength(64),
    'manifest.identity.description': tooLong(2_000),
    'manifest.capabilities': fc.oneof(
      fc.constant([]),
      fc.array(capability, { minLength: AGENT_ACTIONS.length + 1, maxLength: 20 }),
      capability.map((entry) => [entry, entry]),
    ),
    'manifest.capabilities.0.name': stringOtherThan(AGENT_ACTIONS),
    'manifest.capabilities.0.level': stringOtherThan(CAPABILITY_LEVELS),
    'manifest.capabilities.0.scopes': fc.oneof(
      fc.array(freeText(200), { minLength: 51, maxLength: 80 }),
      badLength(200).map((scope) => [scope]),
    ),
    'manifest.constraints.maxTokensPerCall': fc.oneof(
      fc.constant(0),
      numberOutside(1, Number.MAX_SAFE_INTEGER, true),
    ),
    'manifest.constraints.allowedResourceTypes': fc.oneof(
      fc.constant([]),
      badLength(100).map((type) => [type]),
    ),
  },
  bounds: {
    'manifest.constraints.allowedResourceTypes': fc.oneof(
      fc.array(freeText(100), { minLength: 101, maxLength: 150 }),
      // far more than a DynamoDB item (400 KB) holds
      fc
        .integer({ min: 5_000, max: 6_000 })
        .map((count) => Array.from({ length: count }, (_, i) => `${i}`.padEnd(100, 'r'))),
    ),
  },
};

const intentDeclaration: BodySpec = {
  valid: fc.record(
    {
      agentId: identifier,
      action: fc.constantFrom(...AGENT_ACTIONS),
      resource: fc.record({ id: freeText(512), type: freeText(100) }),
      context: smallContext,
      requiredTier: tierCode,
    },
    { requiredKeys: ['agentId', 'action', 'resource'] },
  ),
  required: ['agentId', 'action', 'resource', 'resource.id', 'resource.type'],
  typed: {
    agentId: ['string'],
    action: ['string'],
    resource: ['object'],
    'resource.id': ['string'],
    'resource.type': ['string'],
    context: ['object'],
    requiredTier: ['string'],
  },
  strict: ['', 'resource'],
  refused: {
    agentId: badIdentifier(128),
    action: stringOtherThan(AGENT_ACTIONS),
    'resource.id': badLength(512),
    'resource.type': badLength(100),
    requiredTier: badTier,
  },
  bounds: {
    // over 16 KB, nested past 16 levels, numbers DynamoDB would not return exactly
    context: fc.oneof(
      longString(16_400, 300_000).map((text) => ({ notes: text })),
      fc.integer({ min: 17, max: 60_000 }).map((depth) => ({ deep: nestedJson(depth) })),
      unstorableJson.map((value) => ({ value })),
    ),
  },
};

const stepDefinition = fc.oneof(
  fc.record(
    {
      name: identifier,
      agentId: identifier,
      requiredTier: tierCode,
      intent: fc.constantFrom(...AGENT_ACTIONS),
      resource: fc.record({ id: freeText(256), type: freeText(100) }),
    },
    { requiredKeys: ['name', 'agentId', 'requiredTier', 'intent'] },
  ),
  fc.record({
    name: identifier,
    role: identifier,
    requiredTier: tierCode,
    intent: fc.constantFrom(...AGENT_ACTIONS),
  }),
);
const workflowInput = fc.record(
  { task: freeText(2_000), notes: fc.jsonValue({ maxDepth: 2 }) },
  { requiredKeys: ['task'] },
);
const workflowOptions = {
  preference: fc.constantFrom('cost', 'quality'),
  escalation: fc.record(
    { slaSeconds: fc.integer({ min: 1, max: 604_800 }), maxLevel: fc.integer({ min: 1, max: 3 }) },
    { requiredKeys: [] },
  ),
  queue: fc.record(
    {
      maxAttempts: fc.integer({ min: 1, max: 20 }),
      delaySeconds: fc.integer({ min: 1, max: 3_600 }),
      backoffRate: fc.double({ min: 1, max: 5, noNaN: true }),
      maxDelaySeconds: fc.integer({ min: 1, max: 3_600 }),
    },
    { requiredKeys: [] },
  ),
};
const workflowTyped = {
  input: ['object'],
  'input.task': ['string'],
  'input.subtasks': ['array'],
  'input.failAt': ['string'],
  preference: ['string'],
  escalation: ['object'],
  'escalation.slaSeconds': ['number'],
  'escalation.maxLevel': ['number'],
  queue: ['object'],
  'queue.maxAttempts': ['number'],
  'queue.backoffRate': ['number'],
} as const;
/** Tasks past the character bound, or within it but past 8 192 tokens; extra input keys the item cannot hold. */
const workflowBounds = {
  'input.task': fc.oneof(
    longString(262_145, 300_000),
    fc.integer({ min: 8_300, max: 12_000 }).map((words) => 'token '.repeat(words)),
    // one token per character, and runs the tokenizer is slowest on (no whitespace)
    fc.integer({ min: 8_193, max: 262_144 }).map((length) => 'é'.repeat(length)),
    fc.integer({ min: 70_000, max: 262_144 }).map((length) => 'x'.repeat(length)),
  ),
  // extra input keys travel with the workflow item: they must fit in it
  'input.notes': unstorableJson,
};
const workflowRefused = {
  'input.task': fc.constantFrom('', ' ', '\n\t', '\u00a0'),
  'input.subtasks': fc.oneof(
    fc.constant(['']),
    fc.array(fc.constant('sub-task'), { minLength: 21, maxLength: 30 }),
    fc.constant([1, 2]),
  ),
  'input.failAt': fc.oneof(
    identifier.map((name) => `no-such-step-${name}`),
    badIdentifier(64),
  ),
  preference: stringOtherThan(['cost', 'quality']),
  'escalation.slaSeconds': numberOutside(1, 604_800, true),
  'escalation.maxLevel': numberOutside(1, 3, true),
  'queue.maxAttempts': numberOutside(1, 20, true),
  'queue.delaySeconds': numberOutside(1, 3_600, true),
  'queue.backoffRate': numberOutside(1, 5),
  'queue.maxDelaySeconds': numberOutside(1, 3_600, true),
  parallel: fc.constant({ maxConcurrency: 0 }),
};

const templateWorkflow: BodySpec = {
  valid: fc.record(
    {
      template: fc.constantFrom('report', 'routing', 'escalation', 'saga'),
      input: workflowInput,
      ...workflowOptions,
    },
    { requiredKeys: ['template', 'input'] },
  ),
  required: ['template', 'input', 'input.task'],
  typed: { template: ['string'], ...workflowTyped },
  strict: ['', 'escalation', 'queue'],
  refused: {
    template: stringOtherThan(['report', 'parallel', 'routing', 'escalation', 'saga']),
    ...workflowRefused,
  },
  bounds: workflowBounds,
};

const explicitWorkflow: BodySpec = {
  valid: fc.record(
    {
      type: fc.constantFrom('sequential', 'saga'),
      input: workflowInput,
      steps: fc.uniqueArray(stepDefinition, { selector: (step) => step.name, minLength: 1, maxLength: 4 }),
      ...workflowOptions,
    },
    { requiredKeys: ['type', 'input', 'steps'] },
  ),
  required: [
    'type',
    'input',
    'input.task',
    'steps',
    'steps.0.name',
    'steps.0.requiredTier',
    'steps.0.intent',
  ],
  typed: {
    type: ['string'],
    steps: ['array'],
    'steps.0': ['object'],
    'steps.0.name': ['string'],
    'steps.0.requiredTier': ['string'],
    'steps.0.intent': ['string'],
    'steps.0.resource': ['object'],
    ...workflowTyped,
  },
  strict: ['', 'steps.0', 'escalation', 'queue'],
  refused: {
    type: stringOtherThan(['sequential', 'parallel', 'saga']),
    steps: fc.oneof(
      fc.constant([]),
      fc.array(stepDefinition, { minLength: 21, maxLength: 25 }),
      stepDefinition.map((step) => [step, step]),
    ),
    'steps.0': fc.oneof(
      fc.constant({ name: 'both', agentId: 'a', role: 'r', requiredTier: 'T1', intent: 'search_web' }),
      fc.constant({ name: 'neither', requiredTier: 'T1', intent: 'search_web' }),
    ),
    'steps.0.name': badIdentifier(64),
    'steps.0.requiredTier': badTier,
    'steps.0.intent': stringOtherThan(AGENT_ACTIONS),
    'steps.0.resource': fc.constantFrom(
      { id: '', type: 't' },
      { id: 'i', type: '' },
      { id: 'i', type: 't', x: 1 },
    ),
    ...workflowRefused,
  },
  bounds: workflowBounds,
};

const approveBody: BodySpec = {
  valid: fc.record({ comment: freeText(1_000) }, { requiredKeys: [] }),
  required: [],
  typed: { comment: ['string'] },
  strict: [''],
  refused: { comment: fc.oneof(fc.constantFrom('', ' ', '\n'), tooLong(1_000)) },
  optional: true,
};

const rejectBody: BodySpec = {
  valid: fc.record({ reason: freeText(1_000) }),
  required: ['reason'],
  typed: { reason: ['string'] },
  strict: [''],
  refused: { reason: fc.oneof(fc.constantFrom('', ' ', '\n'), tooLong(1_000)) },
};

const eventEntry = fc.oneof(
  fc.record(
    {
      type: fc.constant('execution.succeeded'),
      id: identifier,
      occurredAt: fc.constant(new Date().toISOString()),
      data: fc.record({ agentId: identifier, durationMs: fc.nat() }, { requiredKeys: ['agentId'] }),
    },
    { requiredKeys: ['type', 'data'] },
  ),
  fc.record({
    type: fc.constant('execution.failed'),
    data: fc.record({ agentId: identifier, errorCode: identifier }),
  }),
  fc.record({
    type: fc.constant('compliance.violation'),
    data: fc.record({ agentId: identifier, severity: fc.constantFrom('low', 'medium', 'high', 'critical') }),
  }),
  fc.record({
    type: fc.constant('compliance.remediation'),
    data: fc.record({ agentId: identifier, fast: fc.boolean() }),
  }),
);

// Every entry names an agent the fuzz tenant does not have: a batch of valid entries is refused too (400).
const eventBatch: BodySpec = {
  valid: fc.record({ events: fc.array(eventEntry, { minLength: 1, maxLength: 5 }) }),
  required: ['events', 'events.0.type', 'events.0.data', 'events.0.data.agentId'],
  typed: {
    events: ['array'],
    'events.0': ['object'],
    'events.0.type': ['string'],
    'events.0.id': ['string'],
    'events.0.occurredAt': ['string'],
    'events.0.data': ['object'],
    'events.0.data.agentId': ['string'],
  },
  strict: ['', 'events.0', 'events.0.data'],
  refused: {
    events: fc.oneof(fc.constant([]), fc.array(eventEntry, { minLength: 101, maxLength: 120 })),
    'events.0.type': stringOtherThan(INGESTIBLE_EVENT_TYPES),
    'events.0.id': badIdentifier(128),
    'events.0.occurredAt': fc.oneof(
      badIsoInstant,
      fc.constantFrom('2999-01-01T00:00:00Z', '2000-01-01T00:00:00Z'),
    ),
    'events.0.data.agentId': badLength(256),
  },
};

const eventsRedrive: BodySpec = {
  valid: fc.record({ queue: fc.constantFrom('audit-logger', 'undelivered-events') }),
  required: ['queue'],
  typed: { queue: ['string'] },
  strict: [''],
  refused: { queue: stringOtherThan(['audit-logger', 'undelivered-events']) },
};

/** No URL, or one whose host is in RFC 6761's `.invalid`: no DNS answer ever makes it a webhook target. */
function neverResolves(url: string): boolean {
  try {
    return new URL(url).hostname.endsWith('.invalid');
  } catch {
    return true;
  }
}

// The host never resolves (RFC 6761 `.invalid`): a body with no other defect would still be refused, but
// only after a DNS lookup, which some resolvers take seconds to fail.
const webhookRegistration: BodySpec = {
  valid: fc.record(
    {
      url: fc.stringMatching(/^https:\/\/[a-z0-9]{1,12}\.example\.invalid\/[a-z0-9/]{0,20}$/),
      filter: fc.oneof(
        fc.constant(null),
        fc.constant({ 'detail-type': ['intent.decided'] }),
        fc.constant({ detail: { data: { decision: ['DENY'] } } }),
      ),
      description: fc.oneof(fc.constant(null), fc.string({ maxLength: 256 })),
    },
    { requiredKeys: ['url'] },
  ),
  required: ['url'],
  typed: { url: ['string'], filter: ['object', 'null'], description: ['string', 'null'] },
  strict: [''],
  refused: {
    url: fc.oneof(
      fc.constantFrom(
        '',
        'not a url',
        'ftp://example.com/hook',
        'javascript:alert(1)',
        'file:///etc/passwd',
        'http://hooks.example.invalid/plain-http',
        'https://localhost/hook',
        'https://127.0.0.1/hook',
        'https://10.0.0.1/hook',
        'https://169.254.169.254/latest/meta-data',
        'https://[::1]/hook',
        'https://[::ffff:127.0.0.1]/hook',
        'https://[fd00:ec2::254]/hook',
        'https://0.0.0.0/hook',
        'https://user:password@hooks.example.invalid/hook',
      ),
      tooLong(2_048).map((tail) => `https://a.example.invalid/${tail}`),
      oddString.map((odd) => `https://${odd}.example.invalid/`).filter(neverResolves),
    ),
    filter: fc.oneof(
      fc.constantFrom(
        {},
        { source: [] },
        { 'detail-type': 'intent.decided' },
        { $or: [] },
        { source: [{ nope: 1 }] },
      ),
    ),
    description: tooLong(256),
  },
  bounds: { filter: excessiveDepth.map((depth) => ({ detail: nestedJson(depth) })) },
};

// The replay takes nothing but the key: no body, or an empty object.
const webhooksRedrive: BodySpec = {
  valid: fc.constant({}),
  required: [],
  typed: {},
  strict: [''],
  refused: {},
  optional: true,
};

const apiKeyRequest: BodySpec = {
  valid: fc.oneof(
    fc.record(
      {
        name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._@:-]{0,30}$/),
        roles: fc.uniqueArray(fc.constantFrom('admin', 'operator'), { minLength: 1, maxLength: 2 }),
        tenantId: fc.constant(FUZZ_TENANT),
        expiresAt: fc.constant(new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString()),
      },
      { requiredKeys: ['name', 'roles'] },
    ),
    fc.record({
      name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._@:-]{0,30}$/),
      roles: fc.constant(['reviewer']),
      reviewerLevel: fc.integer({ min: 1, max: 3 }),
    }),
  ),
  required: ['name', 'roles'],
  typed: {
    name: ['string'],
    roles: ['array'],
    'roles.0': ['string'],
    reviewerLevel: ['number'],
    tenantId: ['string'],
    expiresAt: ['string'],
  },
  strict: [''],
  refused: {
    name: fc.oneof(badIdentifier(128), fc.constant('has space')),
    roles: fc.oneof(
      fc.constantFrom([], ['root'], ['admin', 'admin'], ['admin', 'operator', 'reviewer', 'admin']),
      fc.array(stringOtherThan(['admin', 'operator', 'reviewer']), { minLength: 1, maxLength: 3 }),
    ),
    reviewerLevel: numberOutside(1, 3, true),
    // another tenant's key needs a platform admin (403)
    tenantId: fc.oneof(badTenantId, otherTenantIds),
    expiresAt: fc.oneof(badIsoInstant, fc.constantFrom('2000-01-01T00:00:00Z', '2999-01-01T00:00:00Z')),
  },
};

const tenantPlan: BodySpec = {
  valid: fc.record({ plan: fc.constantFrom('default', 'core', 'pro', 'exec') }),
  required: ['plan'],
  typed: { plan: ['string'] },
  strict: [''],
  refused: { plan: stringOtherThan(['default', 'core', 'pro', 'exec']) },
};

// A memory's text (and a recall query, which is bounded like one): 1…MAX_MEMORY_TEXT_TOKENS tokens, never
// blank. Refused: blank, past the character bound, or within it but past the token bound — in words, and in
// runs the tokenizer counts one token per character or slowest (no whitespace).
const memoryText = fc.oneof(
  freeText(200),
  fc.integer({ min: 1, max: 1_000 }).map((words) => 'word '.repeat(words)),
);
const refusedMemoryText = fc.oneof(
  fc.constantFrom('', ' ', '\n\t', '\u00a0', '\u2028'),
  tooLong(MAX_MEMORY_TEXT_CHARACTERS),
  fc.integer({ min: MAX_MEMORY_TEXT_TOKENS + 76, max: 6_000 }).map((words) => 'word '.repeat(words)),
  fc
    .integer({ min: MAX_MEMORY_TEXT_TOKENS + 76, max: MAX_MEMORY_TEXT_CHARACTERS / 2 })
    .map((length) => '😀'.repeat(length)),
  fc.integer({ min: 10_000, max: MAX_MEMORY_TEXT_CHARACTERS }).map((length) => 'x'.repeat(length)),
);
const memoryLayers = [...MEMORY_LAYERS];

const rememberBody: BodySpec = {
  valid: fc.record(
    {
      text: memoryText,
      layer: fc.constantFrom(...memoryLayers),
      importance: fc.double({ min: 0, max: 1, noNaN: true }),
      source: fc.record(
        { workflowId: identifier, step: identifier, intentId: identifier },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['text'] },
  ),
  required: ['text'],
  typed: {
    text: ['string'],
    layer: ['string'],
    importance: ['number'],
    source: ['object'],
    'source.workflowId': ['string'],
    'source.step': ['string'],
    'source.intentId': ['string'],
  },
  strict: ['', 'source'],
  refused: {
    text: refusedMemoryText,
    // the working layer is the workflow's context, never stored
    layer: fc.oneof(fc.constant('working'), stringOtherThan(memoryLayers)),
    importance: numberOutside(0, 1),
    'source.workflowId': badIdentifier(128),
    'source.step': badIdentifier(64),
    'source.intentId': badIdentifier(128),
  },
  bounds: {
    // far past what the character bound lets through, and past what a DynamoDB item holds
    text: longString(450_000, 600_000),
    source: excessiveDepth.map((depth) => nestedJson(depth, 'object')),
  },
};

// ---------------------------------------------------------------------------------------------------
// Path parameters

/** Ids that can never exist, and ids of the right form that do not: every value is a 400 or a 404. */
function absent(name: string, validLooking: fc.Arbitrary<string>, maxLength?: number) {
  return { name, bad: fc.oneof(absentIds(validLooking, maxLength), fc.constant(undefined)) };
}
const agentIdPath = absent('id', identifier);
const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));
// The memories routes validate the agent id before the rest, and read the agent last: ids of the right form
// (still no agent of the fuzz tenant: 404) as `valid`, so that the other parts' validation is reached too.
const memoriesAgentIdPath = { ...agentIdPath, valid: identifier };
/** `lt_<32 hex>` or `st_<sequence>`, as the memories API issues them (35 characters at most). */
const memoryId = fc.oneof(
  hex(32).map((h) => `lt_${h}`),
  fc.stringMatching(/^[1-9][0-9]{0,15}$/).map((sequence) => `st_${sequence}`),
);
const memoryIdPath = { ...absent('memoryId', memoryId, 35), valid: memoryId };

// ---------------------------------------------------------------------------------------------------
// The cases

function routeCase(
  routeKey: string,
  handler: RoutedHandler,
  requests: fc.Arbitrary<MalformedRequest>,
  caller: Caller = tenantCaller,
): RouteFuzzCase {
  return { routeKey, handler, caller, requests };
}

const escalationStatuses = [...ESCALATION_STATUSES];

export const ROUTE_FUZZ_CASES: readonly RouteFuzzCase[] = [
  // agents.handler.ts
  routeCase('POST /v1/agents', 'agents', malformedRequests({ body: bodyPart(agentRegistration) })),
  routeCase('GET /v1/agents', 'agents', malformedRequests({ query: queryPart(pagedQuery('agentId')) })),
  routeCase('GET /v1/agents/{id}', 'agents', malformedRequests({ path: agentIdPath })),

  // memories.handler.ts: the fuzz tenant has no agent, so a request valid in every part is a 404
  routeCase(
    'POST /v1/agents/{id}/memories',
    'memories',
    malformedRequests({ path: memoriesAgentIdPath, body: bodyPart(rememberBody) }),
  ),
  routeCase(
    'GET /v1/agents/{id}/memories',
    'memories',
    malformedRequests({
      path: memoriesAgentIdPath,
      query: queryPart({
        valid: fc.record(
          { query: memoryText, layer: fc.constantFrom(...memoryLayers), limit: validLimit },
          { requiredKeys: [] },
        ),
        refused: {
          query: refusedMemoryText,
          layer: fc.oneof(fc.constant('working'), stringOtherThan(memoryLayers)),
          limit: badLimit,
        },
        known: ['query', 'layer', 'limit'],
      }),
    }),
  ),
  routeCase(
    'DELETE /v1/agents/{id}/memories/{memoryId}',
    'memories',
    malformedRequests({ path: [memoriesAgentIdPath, memoryIdPath] }),
  ),

  // intents.handler.ts: a valid declaration names an agent that does not exist (404)
  routeCase(
    'POST /v1/intents',
    'intents',
    malformedRequests({
      body: { bad: fc.oneof(badBodies(intentDeclaration), validBodies(intentDeclaration)) },
    }),
  ),
  routeCase('GET /v1/agents/{id}/intents/verify', 'intents', malformedRequests({ path: agentIdPath })),

  // proofs.handler.ts
  routeCase('GET /v1/proofs/{hash}', 'proofs', malformedRequests({ path: absent('hash', hex(64), 64) })),

  // workflows.handler.ts
  routeCase(
    'POST /v1/workflows',
    'workflows',
    malformedRequests({ body: { bad: fc.oneof(badBodies(templateWorkflow), badBodies(explicitWorkflow)) } }),
  ),
  routeCase(
    'GET /v1/workflows',
    'workflows',
    malformedRequests({
      query: queryPart({
        valid: limitOnly({ status: fc.constantFrom(...WORKFLOW_VIEW_STATUSES) }),
        refused: {
          status: stringOtherThan(WORKFLOW_VIEW_STATUSES),
          limit: badLimit,
          nextToken: forgedPageTokens(['workflowId', 'tenantId', 'createdAt'], { tenantId: FUZZ_TENANT }),
        },
        known: ['status', 'limit', 'nextToken'],
      }),
    }),
  ),
  routeCase(
    'GET /v1/workflows/{id}',
    'workflows',
    malformedRequests({
      path: absent('id', fc.oneof(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,40}$/))),
    }),
  ),

  // escalations.handler.ts
  routeCase(
    'GET /v1/escalations',
    'escalations',
    malformedRequests({
      query: queryPart({
        valid: limitOnly({ status: fc.constantFrom(...escalationStatuses) }),
        refused: {
          status: stringOtherThan(escalationStatuses),
          limit: badLimit,
          nextToken: forgedPageTokens(['escalationId', 'tenantStatus', 'createdAt'], {
            tenantStatus: `${FUZZ_TENANT}#PENDING`,
          }),
        },
        known: ['status', 'limit', 'nextToken'],
      }),
    }),
  ),
  routeCase(
    'GET /v1/escalations/{id}',
    'escalations',
    malformedRequests({
      path: absent(
        'id',
        hex(32).map((h) => `esc-${h}`),
      ),
    }),
  ),
  routeCase(
    'POST /v1/escalations/{id}/approve',
    'escalations',
    malformedRequests({
      path: absent(
        'id',
        hex(32).map((h) => `esc-${h}`),
      ),
      body: bodyPart(approveBody),
    }),
  ),
  routeCase(
    'POST /v1/escalations/{id}/reject',
    'escalations',
    malformedRequests({
      path: absent(
        'id',
        hex(32).map((h) => `esc-${h}`),
      ),
      body: bodyPart(rejectBody),
    }),
  ),

  // events.handler.ts
  routeCase(
    'POST /v1/events',
    'events',
    malformedRequests({ body: { bad: fc.oneof(badBodies(eventBatch), validBodies(eventBatch)) } }),
  ),
  routeCase(
    'POST /v1/events/redrive',
    'events',
    malformedRequests({ body: bodyPart(eventsRedrive) }),
    platformCaller,
  ),

  // webhooks.handler.ts
  routeCase(
    'POST /v1/webhooks',
    'webhooks',
    malformedRequests({
      // Bad bodies only: each is refused before the URL's host is resolved, so no request waits on DNS.
      body: { bad: badBodies(webhookRegistration) },
    }),
  ),
  routeCase('GET /v1/webhooks', 'webhooks', malformedRequests({ query: queryPart(pagedQuery('webhookId')) })),
  routeCase(
    'GET /v1/webhooks/{id}',
    'webhooks',
    malformedRequests({
      path: absent(
        'id',
        hex(32).map((h) => `wh_${h}`),
      ),
    }),
  ),
  routeCase(
    'DELETE /v1/webhooks/{id}',
    'webhooks',
    malformedRequests({
      path: absent(
        'id',
        hex(32).map((h) => `wh_${h}`),
      ),
    }),
  ),
  routeCase(
    'POST /v1/webhooks/redrive',
    'webhooks',
    malformedRequests({ body: bodyPart(webhooksRedrive) }),
    platformCaller,
  ),

  // audit.handler.ts
  routeCase(
    'GET /v1/audit',
    'audit',
    malformedRequests({
      query: queryPart({
        valid: fc.record(
          {
            type: fc.constantFrom(...EVENT_TYPES),
            agentId: identifier,
            from: fc.constant('2000-01-01T00:00:00Z'),
            to: fc.constant('2099-01-01T00:00:00+02:00'),
            limit: validLimit,
            order: fc.constantFrom('asc', 'desc'),
          },
          { requiredKeys: [] },
        ),
        refused: {
          type: stringOtherThan(EVENT_TYPES),
          agentId: badLength(256),
          workflowId: badLength(256),
          from: badIsoInstant,
          to: badIsoInstant,
          limit: badLimit,
          order: stringOtherThan(['asc', 'desc']),
          nextToken: fc.oneof(
            forgedPageTokens(['chainKey', 'sequence'], { chainKey: FUZZ_TENANT }),
            // sequences this API never issues: not a positive integer, or past 2^53 in 16 digits
            fc
              .constantFrom('0', '01', '-1', '1.5', 'abc', '99999999999999999')
              .map((sequence) => base64urlJson({ chainKey: FUZZ_TENANT, sequence })),
            fc
              .constantFrom('9999999999999999', '9007199254740993')
              .map((sequence) => base64urlJson({ chainKey: FUZZ_TENANT, sequence })),
          ),
        },
        combinations: fc.constant({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }),
        known: ['type', 'agentId', 'workflowId', 'from', 'to', 'limit', 'order', 'nextToken'],
      }),
    }),
  ),
  // The fuzz tenant's trail is empty: any fromSequence is beyond its head (400), so only these are valid.
  routeCase(
    'GET /v1/audit/verify',
    'audit',
    malformedRequests({
      query: queryPart({
        valid: fc.record({ mode: fc.constantFrom('full', 'checkpoints') }, { requiredKeys: [] }),
        refused: {
          mode: stringOtherThan(['full', 'checkpoints']),
          fromSequence: fc.oneof(
            fc.constantFrom('0', '-1', '1.5', 'abc', '', '1e400'),
            fc.integer({ min: 1 }).map(String),
            fc.string({ maxLength: 8 }),
          ),
        },
        combinations: fc.constant({ mode: 'checkpoints', fromSequence: '1' }),
        known: ['mode', 'fromSequence'],
      }),
    }),
  ),

  // alerts.handler.ts
  routeCase(
    'GET /v1/alerts',
    'alerts',
    malformedRequests({
      query: queryPart({
        valid: limitOnly({
          kind: fc.constantFrom(...ALERT_KINDS),
          severity: fc.constantFrom(...ALERT_SEVERITIES),
          since: isoInstant,
        }),
        refused: {
          kind: stringOtherThan(ALERT_KINDS),
          severity: stringOtherThan(ALERT_SEVERITIES),
          since: badIsoInstant,
          limit: badLimit,
          nextToken: forgedPageTokens(['tenantId', 'alertId'], { tenantId: FUZZ_TENANT }),
        },
        // a page token from before `since`: issued for another filter
        combinations: fc
          .tuple(isoInstant, isoInstant)
          .filter(([before, since]) => before < since)
          .map(([before, since]) => ({
            since,
            nextToken: Buffer.from(
              JSON.stringify({ tenantId: FUZZ_TENANT, alertId: `${before}#a` }),
            ).toString('base64url'),
          })),
        known: ['kind', 'severity', 'since', 'limit', 'nextToken'],
      }),
    }),
  ),

  // api-keys.handler.ts
  routeCase('POST /v1/api-keys', 'api-keys', malformedRequests({ body: bodyPart(apiKeyRequest) })),
  routeCase(
    'GET /v1/api-keys',
    'api-keys',
    malformedRequests({
      query: queryPart(
        pagedQuery('keyId', {
          // another tenant's keys need a platform admin (403)
          refused: { tenantId: fc.oneof(badTenantId, otherTenantIds) },
          known: ['tenantId'],
        }),
      ),
    }),
  ),
  routeCase(
    'GET /v1/api-keys/{keyId}',
    'api-keys',
    malformedRequests({ path: absent('keyId', fc.stringMatching(/^[0-9A-Za-z]{12}$/), 12) }),
  ),
  routeCase(
    'DELETE /v1/api-keys/{keyId}',
    'api-keys',
    malformedRequests({ path: absent('keyId', fc.stringMatching(/^[0-9A-Za-z]{12}$/), 12) }),
  ),
  // Another tenant's plan is a 404 to a tenant's key.
  routeCase(
    'GET /v1/tenants/{tenantId}/plan',
    'api-keys',
    malformedRequests({ path: { name: 'tenantId', bad: fc.oneof(badTenantId, otherTenantIds) } }),
  ),
  routeCase(
    'PUT /v1/tenants/{tenantId}/plan',
    'api-keys',
    malformedRequests({
      path: { name: 'tenantId', valid: otherTenantIds, bad: badTenantId },
      body: bodyPart(tenantPlan),
    }),
    platformCaller,
  ),

  // metrics.handler.ts: another tenant's metrics need a platform admin (403)
  routeCase(
    'GET /metrics',
    'metrics',
    malformedRequests({
      query: queryPart({
        valid: fc.record({ tenant: fc.constant(FUZZ_TENANT) }, { requiredKeys: [] }),
        refused: { tenant: fc.oneof(badTenantId, otherTenantIds) },
        known: ['tenant'],
      }),
    }),
  ),
];
