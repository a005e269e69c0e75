import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyComplianceSignal,
  type ComplianceSignal,
  INITIAL_COMPLIANCE,
  VIOLATION_SEVERITIES,
} from '../../../functions/core/trust/compliance.ts';

function fold(signals: readonly ComplianceSignal[], start = INITIAL_COMPLIANCE): number {
  return signals.reduce(applyComplianceSignal, start);
}

describe('applyComplianceSignal', () => {
  it('starts at 1.0', () => {
    expect(INITIAL_COMPLIANCE).toBe(1);
  });

  it.each([
    ['low', 0.9],
    ['medium', 0.8],
    ['high', 0.5],
    ['critical', 0],
  ] as const)('takes 0.1 × multiplier for a %s violation (1.0 → %d)', (severity, after) => {
    expect(applyComplianceSignal(1, { kind: 'violation', severity })).toBe(after);
  });

  it('adds 0.1 for a passed audit and 0.05 for a fast remediation, nothing for a slow one', () => {
    expect(applyComplianceSignal(0.5, { kind: 'audit_passed' })).toBe(0.6);
    expect(applyComplianceSignal(0.5, { kind: 'remediation', fast: true })).toBe(0.55);
    expect(applyComplianceSignal(0.5, { kind: 'remediation', fast: false })).toBe(0.5);
  });

  it('clips after every signal: credit at 1.0 is not banked, debt below 0 is not kept', () => {
    expect(fold([{ kind: 'audit_passed' }, { kind: 'violation', severity: 'low' }])).toBe(0.9);
    expect(
      fold([
        { kind: 'violation', severity: 'critical' },
        { kind: 'violation', severity: 'critical' },
      ]),
    ).toBe(0);
    expect(
      fold([
        { kind: 'violation', severity: 'critical' },
        { kind: 'violation', severity: 'high' },
        { kind: 'audit_passed' },
      ]),
    ).toBe(0.1);
  });

  it('stays on exact hundredths through long sequences', () => {
    const signals: ComplianceSignal[] = [
      { kind: 'violation', severity: 'medium' },
      { kind: 'violation', severity: 'low' },
      { kind: 'remediation', fast: true },
      { kind: 'violation', severity: 'low' },
      { kind: 'audit_passed' },
    ];
    expect(fold(signals)).toBe(0.75);
  });

  it('stays within [0, 1] for any sequence from any start', () => {
    const signal = fc.oneof(
      fc.record({
        kind: fc.constant('violation' as const),
        severity: fc.constantFrom(...VIOLATION_SEVERITIES),
      }),
      fc.record({ kind: fc.constant('audit_passed' as const) }),
      fc.record({ kind: fc.constant('remediation' as const), fast: fc.boolean() }),
    );
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(signal, { maxLength: 60 }),
        (start, signals) => {
          let compliance = start;
          for (const s of signals) {
            compliance = applyComplianceSignal(compliance, s);
            expect(compliance).toBeGreaterThanOrEqual(0);
            expect(compliance).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });
});
