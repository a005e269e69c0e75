import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LambdaFunctionSpec } from '../../contracts.ts';
import { generatedPhysicalName } from '../physical-names.ts';
import type { CfnResource, ResourceIdentity } from '../template-types.ts';
import { type StackScope, UnsupportedPropertyError } from './stack-scope.ts';

type Props = Record<string, unknown>;

const TYPE = 'AWS::Lambda::Function';

/** Where a stack's Lambda code assets live. */
export interface AssetLocation {
  assemblyDir: string;
  /** Asset hash → absolute source path (from `*.assets.json`). */
  fileAssets: Record<string, string>;
}

/** `AWS::Lambda::Function` → the runtime's spec, with Lambda's own defaults (3 s, 128 MB). */
export function lambdaFunctionSpec(
  logicalId: string,
  resource: CfnResource,
  properties: Props,
  scope: StackScope,
  assets: AssetLocation,
): LambdaFunctionSpec {
  if (properties.PackageType === 'Image') {
    throw new UnsupportedPropertyError(logicalId, TYPE, 'container image functions are not emulated');
  }
  const functionName =
    (properties.FunctionName as string | undefined) ??
    generatedPhysicalName(scope.stackName, logicalId, { maxLength: 64 });
  const variables = ((properties.Environment as Props | undefined)?.Variables ?? {}) as Record<
    string,
    unknown
  >;
  const reserved = properties.ReservedConcurrentExecutions;
  return {
    logicalId,
    functionName,
    arn: lambdaArn(functionName, scope),
    codeDir: codeDirectory(logicalId, resource, properties, assets),
    handler: String(properties.Handler),
    runtime: String(properties.Runtime),
    environment: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, String(value)])),
    timeoutSeconds: Number(properties.Timeout ?? 3),
    memorySizeMb: Number(properties.MemorySize ?? 128),
    ...(reserved !== undefined ? { reservedConcurrency: Number(reserved) } : {}),
  };
}

/**
 * The unpacked code directory: the CDK's `aws:asset:path` metadata when present, else the asset whose
 * hash names the S3 key in the stack's asset manifest. Inline and pre-zipped code are not emulated.
 */
function codeDirectory(
  logicalId: string,
  resource: CfnResource,
  properties: Props,
  assets: AssetLocation,
): string {
  const code = (properties.Code ?? {}) as Props;
  if (code.ZipFile !== undefined) {
    throw new UnsupportedPropertyError(
      logicalId,
      TYPE,
      'inline code (Code.ZipFile) is not emulated; use an asset directory',
    );
  }
  const metadataPath = resource.Metadata?.['aws:asset:path'];
  const s3KeyHash =
    typeof code.S3Key === 'string'
      ? code.S3Key.split('/')
          .at(-1)!
          .replace(/\.zip$/, '')
      : undefined;
  const directory =
    typeof metadataPath === 'string'
      ? join(assets.assemblyDir, metadataPath)
      : s3KeyHash !== undefined
        ? assets.fileAssets[s3KeyHash]
        : undefined;
  if (directory === undefined || !existsSync(directory)) {
    throw new UnsupportedPropertyError(
      logicalId,
      TYPE,
      `its code is not an asset of this assembly (${JSON.stringify(code)}); only code from lambda.Code.fromAsset is emulated`,
    );
  }
  if (!statSync(directory).isDirectory()) {
    throw new UnsupportedPropertyError(
      logicalId,
      TYPE,
      `its asset ${directory} is an archive; only asset directories are emulated`,
    );
  }
  return directory;
}

export function lambdaArn(functionName: string, scope: StackScope): string {
  return `arn:aws:lambda:${scope.region}:${scope.accountId}:function:${functionName}`;
}

export function lambdaFunctionIdentity(spec: LambdaFunctionSpec): ResourceIdentity {
  return { ref: spec.functionName, attributes: { Arn: spec.arn } };
}
