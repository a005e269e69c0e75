// Public API of the trust model (SPEC §2): pure functions, no I/O, time passed in as epoch milliseconds.

export * from './behavioral.ts';
export * from './compliance.ts';
export * from './components.ts';
export * from './context.ts';
export * from './decay.ts';
export * from './elapsed-days.ts';
export * from './identity.ts';
export * from './initial-score.ts';
export * from './ledger.ts';
export * from './signals.ts';
export * from './tier-change.ts';
export * from './tiers.ts';
export * from './trust-events.ts';
export * from './trust-state.ts';
