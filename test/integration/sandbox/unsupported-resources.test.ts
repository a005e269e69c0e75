import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../sandbox/index.ts';

const outdir = mkdtempSync(join(tmpdir(), 'sandbox-unsupported-'));

function synthesizeWithBucket(): string {
  const app = new App({ outdir });
  const stack = new Stack(app, 'WithBucket', { env: { region: 'eu-west-1' } });
  new Queue(stack, 'Jobs');
  new Bucket(stack, 'Uploads');
  return app.synth().directory;
}

const assembly = synthesizeWithBucket();

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe('resource types the sandbox does not support', () => {
  it('refuses the stack before starting anything, naming the type and the logical id', async () => {
    await expect(startSandbox({ assembly, edgePort: 0, apiPort: 0, quiet: true })).rejects.toThrow(
      /Resource Uploads[0-9A-F]{8} of stack WithBucket has type AWS::S3::Bucket/,
    );
  });

  it('deploys the rest and lists what it skipped when told to ignore them', async () => {
    const sandbox = await startSandbox({
      assembly,
      edgePort: 0,
      apiPort: 0,
      quiet: true,
      ignoreUnsupported: true,
    });
    try {
      expect(sandbox.skipped).toEqual([expect.stringMatching(/^AWS::S3::Bucket Uploads[0-9A-F]{8}$/)]);
      expect(sandbox.apiUrl).toBeUndefined();
    } finally {
      await sandbox.stop();
    }
  });
});
