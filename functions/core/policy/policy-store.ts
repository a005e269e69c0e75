// Per-tenant, versioned Cedar policy sets (SPEC §3) and the gate's entry point `decide`.
// Versions are positive integers and immutable: loading a version again with the same text is a no-op,
// with different text an error. A tenant's current version is the highest it has loaded, so replicas that
// read versions in any order converge on the same set; rolling back means publishing the old text as a new
// version. Tenants without a loaded set are decided by DEFAULT_POLICY_TEXT as version 0.
import { CedarAnswerMemo } from './cedar-answer-memo.ts';
import { type CompiledPolicySet, compilePolicySet } from './compiled-policy-set.ts';
import { decideWithPolicySet } from './decide-with-policy-set.ts';
import type { Decision, DecisionRequest } from './decision.ts';
import { DEFAULT_POLICY_TEXT } from './default-policies.ts';

export const DEFAULT_POLICY_VERSION = 0;

export interface PolicyStoreDependencies {
  /** Epoch milliseconds; the hour of day policies see comes from it. */
  clock: () => number;
  /** The set for tenants that loaded none; DEFAULT_POLICY_TEXT unless given. */
  defaultPolicyText?: string;
  /** How many Cedar answers to remember (see CedarAnswerMemo); 0 asks Cedar every time. */
  answerMemoCapacity?: number;
}

export interface LoadedPolicySet {
  tenantId: string;
  version: number;
  policyIds: string[];
}

export class PolicyVersionConflictError extends Error {
  override readonly name = 'PolicyVersionConflictError';
  constructor(
    readonly tenantId: string,
    readonly version: number,
  ) {
    super(
      `tenant "${tenantId}" already has a different policy set as version ${version}; versions are immutable`,
    );
  }
}

interface StoredVersion {
  text: string;
  compiled: CompiledPolicySet;
}

// cedar-wasm keeps pre-parsed sets in one process-wide cache keyed by id; numbering the stores keeps two
// stores in one process (tests, or a handler that builds its own) from overwriting each other's sets.
let storesCreated = 0;

export class PolicyStore {
  private readonly clock: () => number;
  private readonly cachePrefix: string;
  private readonly defaultSet: CompiledPolicySet;
  private readonly versions = new Map<string, Map<number, StoredVersion>>();
  private readonly currentVersions = new Map<string, number>();
  private readonly memo: CedarAnswerMemo;

  constructor(dependencies: PolicyStoreDependencies) {
    this.clock = dependencies.clock;
    this.memo = new CedarAnswerMemo(dependencies.answerMemoCapacity);
    storesCreated += 1;
    this.cachePrefix = `store-${storesCreated}`;
    this.defaultSet = compilePolicySet(
      `${this.cachePrefix}/default`,
      dependencies.defaultPolicyText ?? DEFAULT_POLICY_TEXT,
    );
  }

  /**
   * Validates, compiles and caches a tenant's policy set version.
   * @throws PolicySetLoadError listing Cedar's messages when the text does not parse or validate.
   * @throws PolicyVersionConflictError when the version exists with different text.
   */
  load(tenantId: string, version: number, policyText: string): LoadedPolicySet {
    if (!Number.isInteger(version) || version <= DEFAULT_POLICY_VERSION) {
      throw new RangeError(`policy version must be a positive integer, got ${version}`);
    }
    const tenantVersions = this.versions.get(tenantId) ?? new Map<number, StoredVersion>();
    const existing = tenantVersions.get(version);
    if (existing && existing.text !== policyText) throw new PolicyVersionConflictError(tenantId, version);
    const stored = existing ?? {
      text: policyText,
      compiled: compilePolicySet(`${this.cachePrefix}/${JSON.stringify([tenantId, version])}`, policyText),
    };
    tenantVersions.set(version, stored);
    this.versions.set(tenantId, tenantVersions);
    this.currentVersions.set(tenantId, Math.max(version, this.currentVersion(tenantId)));
    return { tenantId, version, policyIds: [...stored.compiled.policies.keys()] };
  }

  /** The version `decide` uses for the tenant; DEFAULT_POLICY_VERSION when it loaded none. */
  currentVersion(tenantId: string): number {
    return this.currentVersions.get(tenantId) ?? DEFAULT_POLICY_VERSION;
  }

  /** ALLOW / DENY / ESCALATE for one intent; never throws (failures are DENY). */
  decide(request: DecisionRequest): Decision {
    const version = this.currentVersion(request.tenantId);
    const compiled =
      version === DEFAULT_POLICY_VERSION
        ? this.defaultSet
        : this.versions.get(request.tenantId)!.get(version)!.compiled;
    const hour = new Date(this.clock()).getUTCHours();
    return decideWithPolicySet(
      compiled,
      { tenantId: request.tenantId, version },
      request,
      hour,
      this.memo.evaluate,
    );
  }
}
