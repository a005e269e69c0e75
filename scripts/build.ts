// One esbuild run for every Lambda entry point (NodejsFunction would spawn esbuild once per function).
// An entry point is any `functions/<domain>/<name>.handler.ts`; each lands in `dist/<domain>/<name>/index.mjs`
// so that a CDK `Code.fromAsset` can point at its own directory.
import { mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const functionsDir = join(root, 'functions');
const outDir = join(root, 'dist');

// cedar-wasm's Node.js build loads its .wasm from `__dirname` at import time: each bundle that includes it
// gets the file beside its index.mjs, and every bundle gets the CommonJS globals ESM lacks.
const CEDAR_WASM = join(root, 'node_modules/@cedar-policy/cedar-wasm/nodejs/cedar_wasm_bg.wasm');
const COMMONJS_GLOBALS = [
  "import { createRequire } from 'node:module';",
  "import { dirname as __pathDirname } from 'node:path';",
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  'const require = createRequire(import.meta.url);',
  'const __filename = __fileURLToPath(import.meta.url);',
  'const __dirname = __pathDirname(__filename);',
].join(' ');

function findEntryPoints(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findEntryPoints(path);
    return entry.name.endsWith('.handler.ts') ? [path] : [];
  });
}

/**
 * Replaces `path` in one rename: test workers, the e2e setup and `npm run synth` may build at the same time,
 * and a CDK asset fingerprint must never read a half-written bundle.
 */
function writeAtomically(path: string, contents: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const scratch = join(outDir, `.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
  writeFileSync(scratch, contents);
  renameSync(scratch, path);
}

/** Removes bundles of entry points that no longer exist, so that no stale function is ever deployed. */
function removeStaleOutputs(expected: Set<string>): void {
  const entries = readdirSync(outDir, { withFileTypes: true, recursive: true });
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    // `force`: a concurrent build may have removed the same stale file first.
    if (entry.isFile() && !expected.has(path) && !entry.name.endsWith('.tmp')) rmSync(path, { force: true });
  }
  const directoriesDeepestFirst = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort((a, b) => b.length - a.length);
  for (const directory of directoriesDeepestFirst) {
    try {
      rmdirSync(directory);
    } catch (error) {
      // Still holding bundles, or already removed by a concurrent build: both are fine.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'ENOENT') throw error;
    }
  }
}

/**
 * Bundles every `functions/**\/*.handler.ts` into `dist/<domain>/<name>/index.mjs` and returns the entry
 * names (`<domain>/<name>`, the directory each function's code asset is read from).
 */
export async function buildFunctions(): Promise<{ entries: string[] }> {
  const entryPoints = Object.fromEntries(
    findEntryPoints(functionsDir).map((file) => [
      relative(functionsDir, file).replace(/\.handler\.ts$/, '/index'),
      file,
    ]),
  );
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints,
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    sourcemap: true,
    // The Lambda Node.js runtime ships the AWS SDK v3; bundling it would only add cold-start weight.
    external: ['@aws-sdk/*'],
    // ESM bundles still meet CommonJS dependencies that use require() and __dirname.
    banner: { js: COMMONJS_GLOBALS },
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const written = new Set<string>();
  for (const file of result.outputFiles) {
    writeAtomically(file.path, file.contents);
    written.add(file.path);
  }
  const cedarWasm = await readFile(CEDAR_WASM);
  for (const [output, meta] of Object.entries(result.metafile.outputs)) {
    if (Object.keys(meta.inputs).some((input) => input.includes('@cedar-policy/cedar-wasm'))) {
      const wasmPath = join(root, dirname(output), 'cedar_wasm_bg.wasm');
      writeAtomically(wasmPath, cedarWasm);
      written.add(wasmPath);
    }
  }
  removeStaleOutputs(written);
  return {
    entries: Object.keys(entryPoints)
      .map((entry) => dirname(entry))
      .sort(),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  const { entries } = await buildFunctions();
  console.log(
    `built ${entries.length} function(s) into dist/ in ${Math.round(performance.now() - started)} ms`,
  );
}
