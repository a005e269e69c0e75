// The trustgate CDK app as the tests see it: functions bundled by the real build, then the app built by
// buildApp and synthesized into a scratch directory (cdk-nag runs as part of that synthesis).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { buildApp } from '../../infra/build-app.ts';
import { buildFunctions } from '../../scripts/build.ts';

export interface SynthesizedApp {
  app: App;
  assembly: CloudAssembly;
  stateful: Stack;
  stateless: Stack;
  statefulTemplate: Template;
  statelessTemplate: Template;
  /** `<domain>/<name>` of every bundled entry point. */
  entries: string[];
}

export async function synthesizeTrustgateApp(context: Record<string, unknown> = {}): Promise<SynthesizedApp> {
  const { entries } = await buildFunctions();
  const app = buildApp({ outdir: mkdtempSync(join(tmpdir(), 'trustgate-cdk-')), context });
  const assembly = app.synth();
  const stage = (context.stage as string | undefined) ?? 'dev';
  const stateful = app.node.findChild(`Trustgate-${stage}-Stateful`) as Stack;
  const stateless = app.node.findChild(`Trustgate-${stage}-Stateless`) as Stack;
  return {
    app,
    assembly,
    stateful,
    stateless,
    statefulTemplate: Template.fromStack(stateful),
    statelessTemplate: Template.fromStack(stateless),
    entries,
  };
}

/** Logical id of the CloudFormation resource behind the construct at `path` (e.g. `Gate/Function`). */
export function logicalIdAt(stack: Stack, path: string): string {
  const target = path.split('/').reduce<IConstruct>((scope, id) => scope.node.findChild(id), stack);
  const resource = (target.node.defaultChild ?? target) as CfnElement;
  return Stack.of(resource).getLogicalId(resource);
}
