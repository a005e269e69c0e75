// The six trust tiers of SPEC §2. Scores are integers-or-reals in [0, 1000]; tier boundaries are
// inclusive lower bounds (100 is T1, 99.999 is T0).

export type Tier = 0 | 1 | 2 | 3 | 4 | 5;
export type TierCode = 'T0' | 'T1' | 'T2' | 'T3' | 'T4' | 'T5';

export interface TierDefinition {
  tier: Tier;
  code: TierCode;
  name: string;
  /** Lowest score in the tier (inclusive). */
  minScore: number;
  /** Highest integer score in the tier (inclusive). */
  maxScore: number;
}

export const MIN_SCORE = 0;
export const MAX_SCORE = 1000;

export const TIERS: readonly TierDefinition[] = [
  { tier: 0, code: 'T0', name: 'Sandbox', minScore: 0, maxScore: 99 },
  { tier: 1, code: 'T1', name: 'Provisional', minScore: 100, maxScore: 299 },
  { tier: 2, code: 'T2', name: 'Standard', minScore: 300, maxScore: 499 },
  { tier: 3, code: 'T3', name: 'Trusted', minScore: 500, maxScore: 699 },
  { tier: 4, code: 'T4', name: 'Certified', minScore: 700, maxScore: 899 },
  { tier: 5, code: 'T5', name: 'Autonomous', minScore: 900, maxScore: 1000 },
];

/** The tier a score falls in. Scores outside [0, 1000] or NaN are a programming error. */
export function tierForScore(score: number): Tier {
  if (!Number.isFinite(score) || score < MIN_SCORE || score > MAX_SCORE) {
    throw new RangeError(`trust score must be within [${MIN_SCORE}, ${MAX_SCORE}], got ${score}`);
  }
  for (let i = TIERS.length - 1; i >= 0; i--) {
    const definition = TIERS[i]!;
    if (score >= definition.minScore) return definition.tier;
  }
  return 0;
}

export function tierCode(tier: Tier): TierCode {
  return TIERS[tier]!.code;
}

export function tierName(tier: Tier): string {
  return TIERS[tier]!.name;
}

const TIER_CODE_PATTERN = /^T([0-5])$/;

export function isTierCode(value: unknown): value is TierCode {
  return typeof value === 'string' && TIER_CODE_PATTERN.test(value);
}

/** Parses `"T0"`…`"T5"` (the API's spelling); anything else is undefined so callers can name the field. */
export function parseTierCode(value: unknown): Tier | undefined {
  if (!isTierCode(value)) return undefined;
  return Number(value[1]) as Tier;
}
