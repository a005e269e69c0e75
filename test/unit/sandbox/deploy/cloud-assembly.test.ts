import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type AssemblyStack,
  readCloudAssembly,
  stacksToDeploy,
} from '../../../../sandbox/deploy/cloud-assembly.ts';

function writeAssembly(): string {
  const dir = mkdtempSync(join(tmpdir(), 'assembly-'));
  const write = (file: string, content: unknown) => writeFileSync(join(dir, file), JSON.stringify(content));
  mkdirSync(join(dir, 'asset.abc'));
  write('manifest.json', {
    artifacts: {
      'Data.assets': { type: 'cdk:asset-manifest', properties: { file: 'Data.assets.json' } },
      Data: {
        type: 'aws:cloudformation:stack',
        environment: 'aws://unknown-account/eu-west-1',
        properties: { templateFile: 'Data.template.json', stackName: 'shop-data' },
        dependencies: ['Data.assets'],
      },
      Api: {
        type: 'aws:cloudformation:stack',
        environment: 'aws://unknown-account/unknown-region',
        properties: { templateFile: 'Api.template.json' },
        dependencies: ['Data'],
      },
      Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
    },
  });
  write('Data.assets.json', { files: { abc: { source: { path: 'asset.abc', packaging: 'zip' } } } });
  write('Data.template.json', { Resources: { Table: { Type: 'AWS::DynamoDB::Table' } } });
  write('Api.template.json', { Resources: {} });
  return dir;
}

describe('readCloudAssembly', () => {
  it('reads stacks with their names, regions, dependencies and file assets', async () => {
    const dir = writeAssembly();
    const stacks = await readCloudAssembly(dir);
    expect(stacks.map(({ template: _template, ...stack }) => stack)).toEqual([
      {
        artifactId: 'Data',
        stackName: 'shop-data',
        region: 'eu-west-1',
        assemblyDir: dir,
        stackDependencies: [],
        fileAssets: { abc: join(dir, 'asset.abc') },
      },
      {
        artifactId: 'Api',
        stackName: 'Api',
        region: undefined,
        assemblyDir: dir,
        stackDependencies: ['Data'],
        fileAssets: {},
      },
    ]);
    expect(stacks[0]?.template.Resources?.Table?.Type).toBe('AWS::DynamoDB::Table');
  });

  it('explains a directory that is not an assembly', async () => {
    await expect(readCloudAssembly(mkdtempSync(join(tmpdir(), 'empty-')))).rejects.toThrow(
      /manifest.json is missing/,
    );
  });
});

describe('stacksToDeploy', () => {
  const stack = (artifactId: string, stackDependencies: string[] = []) =>
    ({ artifactId, stackName: artifactId.toLowerCase(), stackDependencies }) as unknown as AssemblyStack;
  const stacks = [stack('Api', ['Data']), stack('Data'), stack('Other')];

  it('puts dependencies first and selects a stack with what it depends on', () => {
    expect(stacksToDeploy(stacks).map((s) => s.artifactId)).toEqual(['Data', 'Api', 'Other']);
    expect(stacksToDeploy(stacks, 'api').map((s) => s.artifactId)).toEqual(['Data', 'Api']);
  });

  it('names the stacks it has when the selected one is missing', () => {
    expect(() => stacksToDeploy(stacks, 'Nope')).toThrow(
      'Stack Nope is not in the assembly (it has: api, data, other)',
    );
  });
});
