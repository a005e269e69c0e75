// Whether the deployment stage is production, where test-only inputs such as `input.failAt` are refused.
// The stage is the CDK context `stage` (functions receive it as STAGE); `prod` and `production` are
// production, every other stage (dev, test, staging, a developer's own) may inject failures.
const PRODUCTION_STAGES: ReadonlySet<string> = new Set(['prod', 'production']);

export function isProductionStage(stage: string | undefined): boolean {
  return stage !== undefined && PRODUCTION_STAGES.has(stage.toLowerCase());
}
