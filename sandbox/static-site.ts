// A static web site on 127.0.0.1, the way `npm start` serves the console (console/): files under `root`, with
// `index.html` for `/` and for a directory, and `GET /config.json` answered from `config` (so the page learns
// the API URL of the sandbox it runs beside; a config.json file under `root` is never served). Read-only:
// GET and HEAD only. Paths are resolved safely: a request can reach nothing outside `root` — no `..`, no
// encoded separators or NUL bytes, no symbolic link leading out — and no dotfile (`.env`, `.git/`).
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export interface StaticSiteOptions {
  /** The directory served. */
  readonly root: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** What `GET /config.json` answers, as JSON. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Headers added to every answer, e.g. the Content-Security-Policy the deployed site sends. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RunningStaticSite {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

/** Content types by extension; anything else is served as bytes (and `nosniff` keeps browsers to that). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

const CONFIG_PATH = '/config.json';

export async function startStaticSite(options: StaticSiteOptions): Promise<RunningStaticSite> {
  // Symbolic links are followed only to files inside the real root, so the root is compared as resolved.
  const root = await realpath(resolve(options.root));
  if (!(await stat(root)).isDirectory())
    throw new Error(`static site root ${options.root} is not a directory`);
  const config = `${JSON.stringify(options.config)}\n`;
  const baseHeaders = { 'x-content-type-options': 'nosniff', ...options.headers };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, 'internal error\n');
      else response.destroy(error as Error);
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(baseHeaders)) response.setHeader(name, value);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return send(response, 405, 'method not allowed\n');
    }
    const pathname = requestPath(request.url ?? '/');
    if (pathname === undefined) return send(response, 400, 'bad request path\n');
    if (pathname === CONFIG_PATH) {
      response.setHeader('cache-control', 'no-store');
      return send(response, 200, config, CONTENT_TYPES['.json'], request.method === 'HEAD');
    }
    const file = await resolveFile(root, pathname);
    if (file === undefined) return send(response, 404, 'not found\n');
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
      'content-length': file.size,
      // The console is edited in place while `npm start` runs: always revalidate.
      'cache-control': 'no-cache',
    });
    if (request.method === 'HEAD') return void response.end();
    await new Promise<void>((done, fail) => {
      createReadStream(file.path).on('error', fail).on('end', done).pipe(response);
    });
  }

  await new Promise<void>((listening, fail) => {
    server.once('error', fail);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', fail);
      listening();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((closed, fail) => {
        server.close((error) => (error ? fail(error) : closed()));
        server.closeAllConnections();
      }),
  };
}

/**
 * The decoded path of a request target, or undefined when it cannot name a file: not an origin-form path,
 * bad percent-encoding, a NUL byte, a backslash, or an encoded `/` (which would make `a%2F..%2F..` one segment
 * that later turns into a traversal).
 */
export function requestPath(target: string): string | undefined {
  if (!target.startsWith('/')) return undefined;
  const rawPath = target.split(/[?#]/, 1)[0]!;
  if (/%2f|%5c/i.test(rawPath)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  return decoded;
}

/**
 * The file a decoded path names under `root` (a real path), or undefined: outside the root (`..`, a symbolic
 * link out), a dotfile or dot-directory, missing, or not a file. A directory stands for its index.html.
 */
export async function resolveFile(
  root: string,
  pathname: string,
): Promise<{ path: string; size: number } | undefined> {
  const segments = pathname.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment.startsWith('.'))) return undefined;
  let candidate = resolve(root, ...segments);
  if (!isInside(root, candidate)) return undefined;
  try {
    let info = await stat(candidate);
    if (info.isDirectory()) {
      candidate = resolve(candidate, 'index.html');
      info = await stat(candidate);
    }
    if (!info.isFile()) return undefined;
    const real = await realpath(candidate);
    if (!isInside(root, real)) return undefined;
    return { path: real, size: info.size };
  } catch (error) {
    if (['ENOENT', 'ENOTDIR', 'EACCES', 'ELOOP'].includes((error as NodeJS.ErrnoException).code ?? ''))
      return undefined;
    throw error;
  }
}

/** `path` is `root` or below it. */
function isInside(root: string, path: string): boolean {
  const fromRoot = relative(root, path);
  return fromRoot !== '..' && !fromRoot.startsWith(`..${sep}`) && !isAbsolute(fromRoot);
}

function send(
  response: ServerResponse,
  status: number,
  body: string,
  contentType = CONTENT_TYPES['.txt']!,
  headOnly = false,
): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(headOnly ? undefined : body);
}
