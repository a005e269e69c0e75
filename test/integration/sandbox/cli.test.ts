import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { synthesizedFixtureAssembly } from '../../fixtures/sandbox-app/synthesized-fixture.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Every process whose parent chain leads to `root` (Linux /proc). */
function descendantsOf(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may contain spaces and parentheses; the parent pid follows its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process exited while we listed /proc.
    }
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(root);
  return found;
}

/** Running, as opposed to gone or a zombie (exited, waiting to be reaped by an init that may never do it). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) resolve(output);
    });
    child.once('exit', (code) =>
      reject(new Error(`cli exited with ${code} before printing ${pattern}:\n${output}`)),
    );
  });
}

describe('npm run sandbox (sandbox/cli.ts)', () => {
  it('prints the edge URL, the API URL and ready, and leaves no process behind on SIGTERM', async () => {
    const cli = spawn(
      process.execPath,
      [
        fileURLToPath(import.meta.resolve('tsx/cli')),
        'sandbox/cli.ts',
        '--assembly',
        synthesizedFixtureAssembly(),
        '--edge-port',
        '0',
        '--api-port',
        '0',
      ],
      { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const output = await waitForLine(cli, /^ready$/m);
    expect(output).toMatch(/^edge: http:\/\/127\.0\.0\.1:\d+/m);
    const apiUrl = /^api: (http:\/\/127\.0\.0\.1:\d+)/m.exec(output)?.[1];
    expect((await fetch(`${apiUrl}/ping`)).status).toBe(200);

    const started = descendantsOf(cli.pid!);
    expect(started.length).toBeGreaterThan(1);
    const exited = new Promise<number | null>((resolve) => cli.once('exit', resolve));
    cli.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(started.filter(isRunning)).toEqual([]);
  });
});
