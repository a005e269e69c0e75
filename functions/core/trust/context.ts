// Context component (SPEC §2): how contained the agent's environment is, clipped to 1.
//   environment: sandbox 1.0, development 0.8, staging 0.6, production 0.4, public 0.2
//   bonuses:     VPC isolated +0.2, mTLS +0.1, managed secrets +0.1
// A sandbox scores highest because a misbehaving agent can do the least harm there; hardening
// (isolation, mTLS, managed secrets) earns back part of what an exposed environment costs.

import { clampComponent } from './components.ts';

export const DEPLOYMENT_ENVIRONMENTS = ['sandbox', 'development', 'staging', 'production', 'public'] as const;
export type DeploymentEnvironment = (typeof DEPLOYMENT_ENVIRONMENTS)[number];

export interface DeploymentContext {
  environment: DeploymentEnvironment;
  vpcIsolated: boolean;
  mtls: boolean;
  managedSecrets: boolean;
}

// In tenths, divided once, so sums are exact decimals (see identity.ts).
const ENVIRONMENT_TENTHS: Readonly<Record<DeploymentEnvironment, number>> = {
  sandbox: 10,
  development: 8,
  staging: 6,
  production: 4,
  public: 2,
};

const VPC_ISOLATED_BONUS_TENTHS = 2;
const MTLS_BONUS_TENTHS = 1;
const MANAGED_SECRETS_BONUS_TENTHS = 1;

export function contextScore(context: DeploymentContext): number {
  const tenths =
    ENVIRONMENT_TENTHS[context.environment] +
    (context.vpcIsolated ? VPC_ISOLATED_BONUS_TENTHS : 0) +
    (context.mtls ? MTLS_BONUS_TENTHS : 0) +
    (context.managedSecrets ? MANAGED_SECRETS_BONUS_TENTHS : 0);
  return clampComponent(tenths / 10);
}
