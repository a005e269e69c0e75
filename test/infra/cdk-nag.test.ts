// cdk-nag 3 runs as a policy-validation plugin during synthesis: unacknowledged errors fail it, and
// every remaining finding (warnings included) is written to the assembly's validation-report.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { type SynthesizedApp, synthesizeTrustgateApp } from './synthesized-app.ts';

interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; severity: string }[] }[];
}

let synthesized: SynthesizedApp;
/** With a Bedrock embedder, the gate and the memories API get one more grant (on exactly its model). */
let withBedrockEmbedder: SynthesizedApp;
beforeAll(async () => {
  synthesized = await synthesizeTrustgateApp();
  withBedrockEmbedder = await synthesizeTrustgateApp({
    embedder: { kind: 'bedrock', modelId: 'amazon.titan-embed-text-v2:0', dimensions: 512 },
  });
});

function awsSolutionsFindings(app: SynthesizedApp): string[] {
  const report = JSON.parse(
    readFileSync(join(app.assembly.directory, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  return report.pluginReports
    .filter((plugin) => plugin.pluginName === 'AwsSolutions')
    .flatMap((plugin) => plugin.violations.map((violation) => `${violation.severity} ${violation.ruleName}`));
}

describe('cdk-nag AWS Solutions checks', () => {
  it('leave no unacknowledged error or warning', () => {
    expect(awsSolutionsFindings(synthesized)).toEqual([]);
  });

  it('leave none with a Bedrock embedder either', () => {
    expect(awsSolutionsFindings(withBedrockEmbedder)).toEqual([]);
  });

  it('run on every synthesis of the app: a table without point-in-time recovery fails it', () => {
    const app = buildApp();
    new Table(new Stack(app, 'Probe'), 'Unprotected', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
    });
    expect(() => app.synth()).toThrow(/AwsSolutions-DDB3/);
  });
});
