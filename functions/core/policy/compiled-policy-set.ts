// Compiling a Cedar policy set: parse, read the annotations the decision uses, validate strictly against
// the schema, and pre-parse it into cedar-wasm's cache so that each decision skips parsing.
// Pre-parsed sets live in the WebAssembly instance under a string id; nothing can free them, so callers
// compile each (tenant, version) once.
import {
  type DetailedError,
  type Policy,
  policySetTextToParts,
  policyToJson,
  preparsePolicySet,
  validate,
} from '@cedar-policy/cedar-wasm/nodejs';
import { isAuthorityLevel, MAX_AUTHORITY_LEVEL, MIN_AUTHORITY_LEVEL } from './authority-level.ts';
import { CEDAR_SCHEMA } from './cedar-schema.ts';

export interface CompiledPolicy {
  id: string;
  effect: 'permit' | 'forbid';
  /** The @reason annotation: the message decision reasons carry for this policy. */
  reason?: string;
  /** The @escalate annotation: matching makes the decision ESCALATE to this level instead of DENY. */
  escalationLevel?: number;
}

export interface CompiledPolicySet {
  /** The pre-parsed set of all policies. */
  preparsedId: string;
  /**
   * The pre-parsed set without the @escalate forbids: asks "would the action pass once a human approved
   * it?". Same as `preparsedId` when the set has no escalating policy.
   */
  withoutEscalatingId: string;
  policies: ReadonlyMap<string, CompiledPolicy>;
}

/** The policy text cannot be used; `problems` lists every message (Cedar's and ours), one per entry. */
export class PolicySetLoadError extends Error {
  override readonly name = 'PolicySetLoadError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid policy set:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

export function compilePolicySet(preparsedId: string, policyText: string): CompiledPolicySet {
  const parts = policySetTextToParts(policyText);
  if (parts.type === 'failure') {
    throw new PolicySetLoadError(parts.errors.map((error) => describeCedarError(error, policyText)));
  }
  if (parts.policy_templates.length > 0) {
    throw new PolicySetLoadError(['policy templates are not supported; write static policies']);
  }

  const problems: string[] = [];
  const texts: Record<string, Policy> = {};
  const policies = new Map<string, CompiledPolicy>();
  parts.policies.forEach((text, position) => {
    const compiled = readPolicy(text, position, problems);
    if (!compiled) return;
    if (policies.has(compiled.id)) {
      problems.push(`policy id "${compiled.id}" is used more than once`);
      return;
    }
    policies.set(compiled.id, compiled);
    texts[compiled.id] = text;
  });
  if (problems.length > 0) throw new PolicySetLoadError(problems);

  validateAgainstSchema(texts);

  const withoutEscalating = Object.fromEntries(
    Object.entries(texts).filter(([id]) => policies.get(id)?.escalationLevel === undefined),
  );
  const hasEscalating = Object.keys(withoutEscalating).length < policies.size;
  const withoutEscalatingId = hasEscalating ? `${preparsedId}#without-escalating` : preparsedId;
  preparse(preparsedId, texts);
  if (hasEscalating) preparse(withoutEscalatingId, withoutEscalating);
  return { preparsedId, withoutEscalatingId, policies };
}

function readPolicy(text: string, position: number, problems: string[]): CompiledPolicy | undefined {
  const parsed = policyToJson(text);
  if (parsed.type === 'failure') {
    problems.push(...parsed.errors.map((error) => describeCedarError(error, text)));
    return undefined;
  }
  const { effect, annotations = {} } = parsed.json;
  const id = annotations.id ?? `policy${position}`;
  const compiled: CompiledPolicy = { id, effect };
  if (annotations.reason !== undefined) compiled.reason = annotations.reason;
  if (annotations.escalate !== undefined) {
    const level = Number(annotations.escalate);
    if (effect !== 'forbid') {
      problems.push(`policy "${id}": @escalate only makes sense on a forbid policy`);
    } else if (annotations.escalate.trim() === '' || !isAuthorityLevel(level)) {
      problems.push(
        `policy "${id}": @escalate("${annotations.escalate}") must name an authority level ` +
          `${MIN_AUTHORITY_LEVEL}–${MAX_AUTHORITY_LEVEL}`,
      );
    } else {
      compiled.escalationLevel = level;
    }
  }
  return compiled;
}

function validateAgainstSchema(texts: Record<string, Policy>): void {
  const answer = validate({
    schema: CEDAR_SCHEMA,
    policies: { staticPolicies: texts },
    validationSettings: { mode: 'strict' },
  });
  if (answer.type === 'failure') {
    throw new PolicySetLoadError(answer.errors.map((error) => describeCedarError(error)));
  }
  if (answer.validationErrors.length > 0) {
    throw new PolicySetLoadError(
      answer.validationErrors.map(({ policyId, error }) => {
        const text = texts[policyId];
        return describeCedarError(error, typeof text === 'string' ? text : undefined);
      }),
    );
  }
}

function preparse(preparsedId: string, texts: Record<string, Policy>): void {
  const answer = preparsePolicySet(preparsedId, { staticPolicies: texts });
  if (answer.type === 'failure') {
    throw new PolicySetLoadError(answer.errors.map((error) => describeCedarError(error)));
  }
}

/** Cedar's message, its label and help, and where in `source` it points (line:column, 1-based). */
function describeCedarError(error: DetailedError, source?: string): string {
  const location = error.sourceLocations?.[0];
  const label = location?.label ? `: ${location.label}` : '';
  const help = error.help ? ` (${error.help})` : '';
  const where = location && source !== undefined ? ` at ${lineAndColumn(source, location.start)}` : '';
  return `${error.message}${label}${help}${where}`;
}

function lineAndColumn(source: string, offset: number): string {
  const before = source.slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}
