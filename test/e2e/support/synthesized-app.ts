// The trustgate app built (esbuild, `dist/`) and synthesized once per content version of its sources:
// e2e files run in parallel workers and the benchmark may run beside them, a build plus a synthesis costs
// seconds, and the build rewrites the shared `dist/`. So one process at a time builds and synthesizes
// (a lock directory), into `test/e2e/cdk.out/<hash>`, and everyone else reuses the result.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../../infra/build-app.ts';
import { buildFunctions } from '../../../scripts/build.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Inside the project, so that handlers importing @aws-sdk/* resolve them from its node_modules. */
const ASSEMBLIES_DIR = join(ROOT, 'test/e2e/cdk.out');
const SOURCES = ['infra', 'functions', 'statemachines', 'scripts/build.ts', 'package-lock.json'];
const LOCK_POLL_MS = 200;

/**
 * The context the e2e suite and the benchmarks synthesize with: webhook receivers on loopback are allowed
 * (as under `npm start`), and retries are fast enough to watch a whole schedule within a test — webhook
 * deliveries 1 s apart (6 attempts), consumers after 1, 2, 4, 8 s. Production defaults are tested in test/infra.
 */
export const E2E_CONTEXT = {
  webhookAllowPrivateUrls: true,
  webhookRetryDelaysSeconds: '1,1,1,1,1',
  consumerRetryBaseSeconds: 1,
} as const;
/** Older assemblies are removed; a younger one may still be served by a sandbox of a concurrent run. */
const STALE_ASSEMBLY_MS = 60 * 60 * 1000;

/** Project-relative paths of the files under `path` (or `path` itself), sorted. */
function sourceFiles(path: string): string[] {
  const absolute = join(ROOT, path);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [path];
  return readdirSync(absolute)
    .sort()
    .flatMap((name) => sourceFiles(join(path, name)));
}

function contentHash(): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(E2E_CONTEXT));
  for (const file of SOURCES.flatMap(sourceFiles)) hash.update(file).update(readFileSync(join(ROOT, file)));
  return hash.digest('hex').slice(0, 16);
}

/** The app's cloud assembly directory, built and synthesized if this version of it has not been yet. */
export async function synthesizedTrustgateApp(): Promise<string> {
  const assemblyDir = join(ASSEMBLIES_DIR, contentHash());
  if (existsSync(join(assemblyDir, 'manifest.json'))) return assemblyDir;
  return withBuildLock(async () => {
    // Another process may have finished while this one waited for the lock.
    if (existsSync(join(assemblyDir, 'manifest.json'))) return assemblyDir;
    await buildFunctions();
    const scratchDir = `${assemblyDir}.${process.pid}`;
    try {
      buildApp({ outdir: scratchDir, context: E2E_CONTEXT }).synth();
      renameSync(scratchDir, assemblyDir);
    } finally {
      rmSync(scratchDir, { recursive: true, force: true });
    }
    removeStaleAssemblies();
    return assemblyDir;
  });
}

/** Every source edit makes a new assembly; without this the directory grows by megabytes per edit. */
function removeStaleAssemblies(): void {
  const cutoff = Date.now() - STALE_ASSEMBLY_MS;
  for (const name of readdirSync(ASSEMBLIES_DIR)) {
    const path = join(ASSEMBLIES_DIR, name);
    if (/^[0-9a-f]{16}$/.test(name) && statSync(path).mtimeMs < cutoff) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  const lockDir = join(ASSEMBLIES_DIR, 'build.lock');
  mkdirSync(ASSEMBLIES_DIR, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (lockHolderIsGone(lockDir)) rmSync(lockDir, { recursive: true, force: true });
    else await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
  writeFileSync(join(lockDir, 'pid'), String(process.pid));
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** A lock left behind by a process that died mid-build (killed test run) must not block forever. */
function lockHolderIsGone(lockDir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
  } catch {
    return false; // just created; the holder writes its pid next
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
