import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clampComponent,
  compositeScore,
  normalizeScore,
  type TrustComponents,
} from '../../../functions/core/trust/components.ts';

const none: TrustComponents = { behavioral: 0, compliance: 0, identity: 0, context: 0 };

describe('compositeScore', () => {
  it('is 1000 when every component is 1 and 0 when every component is 0', () => {
    expect(compositeScore({ behavioral: 1, compliance: 1, identity: 1, context: 1 })).toBe(1000);
    expect(compositeScore(none)).toBe(0);
  });

  it.each([
    ['behavioral', 400],
    ['compliance', 250],
    ['identity', 200],
    ['context', 150],
  ] as const)('gives %s alone its SPEC weight (%d points)', (component, points) => {
    expect(compositeScore({ ...none, [component]: 1 })).toBe(points);
  });

  it('weighs a mixed profile as 1000 × (0.40·B + 0.25·C + 0.20·I + 0.15·X)', () => {
    expect(compositeScore({ behavioral: 0.5, compliance: 1, identity: 0.6, context: 0.4 })).toBe(
      200 + 250 + 120 + 60,
    );
  });

  it('clips components outside [0, 1] and counts NaN as 0', () => {
    expect(compositeScore({ behavioral: 3, compliance: -2, identity: Number.NaN, context: 1 })).toBe(
      400 + 150,
    );
  });

  it('stays within [0, 1000] for any inputs', () => {
    const anyNumber = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity));
    fc.assert(
      fc.property(anyNumber, anyNumber, anyNumber, anyNumber, (behavioral, compliance, identity, context) => {
        const score = compositeScore({ behavioral, compliance, identity, context });
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1000);
      }),
    );
  });
});

describe('clampComponent and normalizeScore', () => {
  it('clip to their ranges and map NaN to 0', () => {
    expect(clampComponent(1.2)).toBe(1);
    expect(clampComponent(-0.1)).toBe(0);
    expect(clampComponent(Number.NaN)).toBe(0);
    expect(normalizeScore(1000.5)).toBe(1000);
    expect(normalizeScore(-3)).toBe(0);
    expect(normalizeScore(Number.NaN)).toBe(0);
  });

  it('removes binary rounding noise so a boundary score keeps its tier', () => {
    expect(normalizeScore(699.9999999999999)).toBe(700);
    expect(normalizeScore(612.25)).toBe(612.25);
  });
});
