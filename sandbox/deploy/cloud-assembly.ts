import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CfnTemplate } from './template-types.ts';

/** One CloudFormation stack of a synthesized cloud assembly (`cdk.out`). */
export interface AssemblyStack {
  artifactId: string;
  stackName: string;
  /** From the stack's environment; undefined when the stack is environment-agnostic. */
  region?: string;
  template: CfnTemplate;
  /** Directory the template and its assets live in. */
  assemblyDir: string;
  /** Artifact ids of the stacks this one depends on (exports it imports, explicit dependencies). */
  stackDependencies: string[];
  /** Asset hash → absolute source path, from the stack's `*.assets.json`. */
  fileAssets: Record<string, string>;
}

interface ManifestArtifact {
  type: string;
  environment?: string;
  properties?: { templateFile?: string; stackName?: string; directoryName?: string; file?: string };
  dependencies?: string[];
}

interface AssetManifest {
  files?: Record<string, { source: { path?: string; packaging?: string } }>;
}

/** Reads every stack of the assembly at `dir`, nested assemblies (CDK Stages) included. */
export async function readCloudAssembly(dir: string): Promise<AssemblyStack[]> {
  const assemblyDir = resolve(dir);
  const manifestPath = join(assemblyDir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(
      `${assemblyDir} is not a cloud assembly: manifest.json is missing (run \`cdk synth\` first)`,
    );
  }
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
    artifacts?: Record<string, ManifestArtifact>;
  };
  const artifacts = manifest.artifacts ?? {};
  const stacks: AssemblyStack[] = [];
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      stacks.push(...(await readCloudAssembly(join(assemblyDir, artifact.properties.directoryName))));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const template = JSON.parse(
      await readFile(join(assemblyDir, artifact.properties.templateFile), 'utf8'),
    ) as CfnTemplate;
    const dependencies = artifact.dependencies ?? [];
    stacks.push({
      artifactId,
      stackName: artifact.properties.stackName ?? artifactId,
      region: regionOf(artifact.environment),
      template,
      assemblyDir,
      stackDependencies: dependencies.filter((id) => artifacts[id]?.type === 'aws:cloudformation:stack'),
      fileAssets: await readFileAssets(
        assemblyDir,
        dependencies
          .map((id) => artifacts[id])
          .filter((dependency) => dependency?.type === 'cdk:asset-manifest'),
      ),
    });
  }
  return stacks;
}

/** `aws://123456789012/eu-west-1` → `eu-west-1`; `unknown-region` when the stack is environment-agnostic. */
function regionOf(environment: string | undefined): string | undefined {
  const region = environment?.split('/')[3];
  return region && region !== 'unknown-region' ? region : undefined;
}

async function readFileAssets(
  assemblyDir: string,
  assetManifests: (ManifestArtifact | undefined)[],
): Promise<Record<string, string>> {
  const assets: Record<string, string> = {};
  for (const artifact of assetManifests) {
    if (!artifact?.properties?.file) continue;
    const manifest = JSON.parse(
      await readFile(join(assemblyDir, artifact.properties.file), 'utf8'),
    ) as AssetManifest;
    for (const [hash, asset] of Object.entries(manifest.files ?? {})) {
      if (asset.source.path) assets[hash] = join(assemblyDir, asset.source.path);
    }
  }
  return assets;
}

/** Stacks in deployment order: `selected` (by stack name or artifact id) and what it depends on, or all. */
export function stacksToDeploy(stacks: AssemblyStack[], selected?: string): AssemblyStack[] {
  const byId = new Map(stacks.map((stack) => [stack.artifactId, stack]));
  const roots = selected
    ? stacks.filter((stack) => stack.stackName === selected || stack.artifactId === selected)
    : stacks;
  if (selected && roots.length === 0) {
    throw new Error(
      `Stack ${selected} is not in the assembly (it has: ${stacks.map((s) => s.stackName).join(', ')})`,
    );
  }
  const ordered: AssemblyStack[] = [];
  const visit = (stack: AssemblyStack): void => {
    if (ordered.includes(stack)) return;
    for (const dependencyId of stack.stackDependencies) {
      const dependency = byId.get(dependencyId);
      if (dependency) visit(dependency);
    }
    ordered.push(stack);
  };
  roots.forEach(visit);
  return ordered;
}
