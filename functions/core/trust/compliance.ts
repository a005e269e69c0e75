// Compliance component (SPEC §2), a ledger that starts at 1.0:
//   violation:          −0.1 × severity multiplier (low 1, medium 2, high 5, critical 10)
//   passed audit:       +0.1
//   fast remediation:   +0.05 (a slow remediation earns nothing)
// The result is clipped to [0, 1] after every signal, as a ledger balance would be: credit earned at
// 1.0 is not banked against later violations, and a violation at 0 does not dig a hole that later
// audits must fill first.

import { clampComponent } from './components.ts';

export const VIOLATION_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type ViolationSeverity = (typeof VIOLATION_SEVERITIES)[number];

export type ComplianceSignal =
  | { kind: 'violation'; severity: ViolationSeverity }
  | { kind: 'audit_passed' }
  | { kind: 'remediation'; fast: boolean };

export const INITIAL_COMPLIANCE = 1;

export const SEVERITY_MULTIPLIERS: Readonly<Record<ViolationSeverity, number>> = {
  low: 1,
  medium: 2,
  high: 5,
  critical: 10,
};

// Every step is a multiple of 0.05, so the balance is kept on a grid of hundredths: repeated float
// arithmetic (0.8 − 0.1 = 0.7000000000000001) would otherwise drift and could move a score across a
// tier boundary.
const HUNDREDTHS = 100;
const VIOLATION_BASE_HUNDREDTHS = 10;
const AUDIT_PASSED_HUNDREDTHS = 10;
const FAST_REMEDIATION_HUNDREDTHS = 5;

function changeInHundredths(signal: ComplianceSignal): number {
  switch (signal.kind) {
    case 'violation':
      return -VIOLATION_BASE_HUNDREDTHS * SEVERITY_MULTIPLIERS[signal.severity];
    case 'audit_passed':
      return AUDIT_PASSED_HUNDREDTHS;
    case 'remediation':
      return signal.fast ? FAST_REMEDIATION_HUNDREDTHS : 0;
  }
}

export function applyComplianceSignal(compliance: number, signal: ComplianceSignal): number {
  const balance = Math.round(clampComponent(compliance) * HUNDREDTHS) + changeInHundredths(signal);
  return clampComponent(balance / HUNDREDTHS);
}
