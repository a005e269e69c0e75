// The signals the trust ledger accepts (SPEC §2, §5). Execution outcomes come from the gate
// (`execution.succeeded` / `execution.failed`) and carry the tier the gate acted on; the compliance
// signals come from policy enforcement, audits and operators.

import type { ExecutionOutcome } from './behavioral.ts';
import type { ComplianceSignal } from './compliance.ts';

export type ExecutionOutcomeSignal = { kind: 'execution_outcome' } & ExecutionOutcome;
export type TrustSignal = ExecutionOutcomeSignal | ComplianceSignal;
export type TrustSignalKind = TrustSignal['kind'];
