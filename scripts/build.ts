// One esbuild run for every Lambda entry point (NodejsFunction would spawn esbuild once per function).
// An entry point is any `functions/<domain>/<name>.handler.ts`; each lands in `dist/<domain>/<name>/index.mjs`
// so that a CDK `Code.fromAsset` can point at its own directory.
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
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

rmSync(outDir, { recursive: true, force: true });
const started = performance.now();
await build({
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
  // ESM bundles still meet CommonJS dependencies that call require(); give them one.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
console.log(
  `built ${Object.keys(entryPoints).length} function(s) into dist/ in ${Math.round(performance.now() - started)} ms`,
);
