// The static site `npm start` serves the console from (sandbox/static-site.ts), over real HTTP. Requests are
// sent with node:http so that request targets go out exactly as written: fetch would normalize `..` away
// before the server could be shown it.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStaticSite, startStaticSite } from '../../../sandbox/static-site.ts';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(site: RunningStaticSite, path: string, method = 'GET'): Promise<RawAnswer> {
  const { hostname, port } = new URL(site.url);
  return new Promise((answered, fail) => {
    const outgoing = request({ hostname, port, path, method, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        answered({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    outgoing.on('error', fail);
    outgoing.end();
  });
}

const INDEX = '<!doctype html><title>console</title>';
let parent: string;
let site: RunningStaticSite;

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'static-site-'));
  const root = join(parent, 'site');
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'app.js'), 'export const app = 1;\n');
  writeFileSync(join(root, 'styles.css'), 'body { margin: 0; }\n');
  writeFileSync(join(root, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(root, 'blob.bin'), 'bytes');
  writeFileSync(join(root, 'docs', 'index.html'), '<!doctype html><title>docs</title>');
  writeFileSync(join(root, 'config.json'), '{"apiUrl":"http://from-the-file"}');
  writeFileSync(join(root, '.env'), 'SECRET=1');
  writeFileSync(join(parent, 'secret.txt'), 'outside the root');
  symlinkSync(join(parent, 'secret.txt'), join(root, 'leak.txt'));
  symlinkSync(join(root, 'app.js'), join(root, 'alias.js'));
  site = await startStaticSite({
    root,
    port: 0,
    config: { apiUrl: 'http://127.0.0.1:3000' },
    headers: { 'content-security-policy': "default-src 'self'" },
  });
});

afterAll(async () => {
  await site?.close();
});

describe('startStaticSite', () => {
  it('listens on 127.0.0.1 and serves index.html at /', async () => {
    expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await raw(site, '/');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.body).toBe(INDEX);
  });

  it.each([
    ['/app.js', 'text/javascript; charset=utf-8'],
    ['/styles.css', 'text/css; charset=utf-8'],
    ['/logo.svg', 'image/svg+xml'],
    ['/blob.bin', 'application/octet-stream'],
    ['/docs/index.html', 'text/html; charset=utf-8'],
  ])('serves %s as %s, never sniffed', async (path, contentType) => {
    const answer = await raw(site, path);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe(contentType);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves a directory’s index.html, with or without the trailing slash', async () => {
    for (const path of ['/docs', '/docs/']) {
      const answer = await raw(site, path);
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('<title>docs</title>');
    }
  });

  it('ignores the query string and decodes percent-encoded names', async () => {
    expect((await raw(site, '/app.js?v=2#x')).body).toBe('export const app = 1;\n');
    expect((await raw(site, '/%61pp.js')).status).toBe(200);
  });

  it('answers GET /config.json from its config, never from a file of that name', async () => {
    const answer = await raw(site, '/config.json');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(answer.body)).toEqual({ apiUrl: 'http://127.0.0.1:3000' });
  });

  it('answers 404 for what does not exist', async () => {
    for (const path of ['/missing.js', '/docs/missing.html', '/app.js/inner', '/nothing/']) {
      const answer = await raw(site, path);
      expect(answer.status, path).toBe(404);
    }
  });

  it.each([
    '/../secret.txt',
    '/docs/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/docs/%2E%2E/%2e%2e/secret.txt',
  ])('refuses the traversal %s', async (path) => {
    const answer = await raw(site, path);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('outside the root');
  });

  it.each([
    '/..%2fsecret.txt',
    '/docs%2F..%2F..%2Fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/app.js%00.html',
    '/%E0%A4%A',
  ])('refuses the malformed path %s with 400', async (path) => {
    const answer = await raw(site, path);
    expect(answer.status).toBe(400);
    expect(answer.body).not.toContain('outside the root');
  });

  it('follows a symbolic link only when it stays inside the root', async () => {
    const leak = await raw(site, '/leak.txt');
    expect(leak.status).toBe(404);
    expect(leak.body).not.toContain('outside the root');
    const alias = await raw(site, '/alias.js');
    expect(alias.status).toBe(200);
    expect(alias.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('never serves a dotfile', async () => {
    expect((await raw(site, '/.env')).status).toBe(404);
    expect((await raw(site, '/%2eenv')).status).toBe(404);
  });

  it('is read-only: other methods get 405 with Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const answer = await raw(site, '/index.html', method);
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD');
    }
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const answer = await raw(site, '/styles.css', 'HEAD');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(answer.headers['content-length']).toBe(String('body { margin: 0; }\n'.length));
    expect(answer.body).toBe('');
  });

  it('adds its extra headers to every answer, errors included', async () => {
    for (const path of ['/', '/config.json', '/missing', '/../secret.txt']) {
      const answer = await raw(site, path);
      expect(answer.headers['content-security-policy'], path).toBe("default-src 'self'");
    }
  });

  it('refuses a root that is not a directory', async () => {
    await expect(startStaticSite({ root: join(parent, 'secret.txt'), port: 0, config: {} })).rejects.toThrow(
      /not a directory/,
    );
  });

  it('stops listening once closed', async () => {
    const other = await startStaticSite({ root: join(parent, 'site'), port: 0, config: {} });
    expect((await raw(other, '/')).status).toBe(200);
    await other.close();
    await expect(raw(other, '/')).rejects.toThrow(/ECONNREFUSED/);
  });
});
