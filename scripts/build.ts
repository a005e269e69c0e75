// One esbuild run for every Lambda entry point (NodejsFunction would spawn esbuild once per function).
// An entry point is any `functions/<domain>/<name>.handler.ts`; each lands in `dist/<domain>/<name>/index.mjs`
// so that a CDK `Code.fromAsset` can point at its own directory.
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const functionsDir = join(root, 'functions');
const outDir = join(root, 'dist');

function findEntryPoints(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findEntryPoints(path);
    return entry.name.endsWith('.handler.ts') ? [path] : [];
  });
}

const entryPoints = Object.fromEntries(
  findEntryPoints(functionsDir).map((file) => [
    relative(functionsDir, file).replace(/\.handler\.ts$/, '/index'),
    file,
  ]),
);

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

rmSync(outDir, { recursive: true, force: true });
const started = performance.now();
const result = await build({
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
  logLevel: 'warning',
});
for (const [output, meta] of Object.entries(result.metafile.outputs)) {
  if (Object.keys(meta.inputs).some((input) => input.includes('@cedar-policy/cedar-wasm'))) {
    copyFileSync(CEDAR_WASM, join(root, dirname(output), 'cedar_wasm_bg.wasm'));
  }
}
console.log(
  `built ${Object.keys(entryPoints).length} function(s) into dist/ in ${Math.round(performance.now() - started)} ms`,
);
