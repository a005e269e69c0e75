// The generated OpenAPI document linted as CI lints it: written to a file and given to `redocly lint` with
// the repository's redocly.yaml (the recommended ruleset). No error is allowed; the warnings are exactly
// the known ones, so a new warning fails here too instead of piling up unread. A deliberately broken copy
// shows the linter does refuse a document, so a linter that ran on nothing could not pass this test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { OPENAPI_DOCUMENT } from '../../../functions/app/openapi/openapi-document.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REDOCLY = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'trustgate-openapi-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

function lint(document: unknown, name: string): LintReport {
  const file = join(scratch, name);
  writeFileSync(file, JSON.stringify(document, null, 2));
  // The Node running the tests (the repository's pinned one), not whichever `node` is first on the PATH.
  const run = spawnSync(
    process.execPath,
    [REDOCLY, 'lint', '--format=json', `--config=${join(ROOT, 'redocly.yaml')}`, file],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        NO_COLOR: '1',
      },
      timeout: 60_000,
    },
  );
  const start = run.stdout.indexOf('{');
  if (start < 0) throw new Error(`redocly printed no report (exit ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout.slice(start)) as LintReport;
}

const summary = (report: LintReport) =>
  report.problems.map((problem) => `${problem.severity} ${problem.ruleId} ${problem.location[0]?.pointer}`);

describe('redocly lint', () => {
  it('finds no error in the document, and only the known warnings', () => {
    const report = lint(OPENAPI_DOCUMENT, 'openapi.json');
    expect(report.totals.errors, summary(report).join('\n')).toBe(0);
    // The probes and the document take no input and answer no client error: there is no 4xx to document.
    expect(summary(report).sort()).toEqual([
      'warn operation-4xx-response #/paths/~1health/get/responses',
      'warn operation-4xx-response #/paths/~1openapi.json/get/responses',
      'warn operation-4xx-response #/paths/~1ready/get/responses',
    ]);
  });

  it('does refuse a broken document', () => {
    const broken = structuredClone(OPENAPI_DOCUMENT);
    const getAgent = broken.paths['/v1/agents/{id}']!.get!;
    // A parameter in a place OpenAPI does not have, and a security scheme the document does not define.
    getAgent.parameters = [{ ...getAgent.parameters![0], in: 'body' }];
    getAgent.security = [{ notAScheme: [] }];
    const report = lint(broken, 'broken.json');
    expect(report.totals.errors).toBeGreaterThan(0);
    expect(report.problems.map((problem) => problem.ruleId)).toEqual(
      expect.arrayContaining(['struct', 'security-defined']),
    );
  });
});
