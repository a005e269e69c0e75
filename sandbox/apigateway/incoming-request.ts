// A request as API Gateway sees it on arrival: the pieces both payload formats and authorizers are built from.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface IncomingRequest {
  method: string;
  /** The path as sent, still percent-encoded. */
  rawPath: string;
  rawQueryString: string;
  /** Lower-cased names; repeated headers joined with commas, as API Gateway does. */
  headers: Record<string, string>;
  /** Every value of each header, for payload format 1.0's multiValueHeaders. */
  multiValueHeaders: Record<string, string[]>;
  query: URLSearchParams;
  body: Buffer;
  sourceIp: string;
  protocol: string;
  requestId: string;
  receivedAt: Date;
}

export function readIncomingRequest(req: IncomingMessage, body: Buffer): IncomingRequest {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const rawQueryString = queryStart < 0 ? '' : url.slice(queryStart + 1);
  const multiValueHeaders: Record<string, string[]> = {};
  const raw = req.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!.toLowerCase();
    const value = raw[index + 1]!;
    const existing = multiValueHeaders[name];
    if (existing === undefined) multiValueHeaders[name] = [value];
    else existing.push(value);
  }
  const sourceIp = normaliseIp(req.socket.remoteAddress ?? '127.0.0.1');
  addForwardingHeaders(multiValueHeaders, sourceIp, req.socket.localPort ?? 80);
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(multiValueHeaders)) headers[name] = values.join(',');
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    rawPath: queryStart < 0 ? url : url.slice(0, queryStart),
    rawQueryString,
    headers,
    multiValueHeaders,
    query: new URLSearchParams(rawQueryString),
    body,
    sourceIp,
    protocol: `HTTP/${req.httpVersion}`,
    // API Gateway's request ids are 16 base64 characters, e.g. `JKJaXmPLvHcESHA=`.
    requestId: randomBytes(11).toString('base64'),
    receivedAt: new Date(),
  };
}

/** Query parameters with repeated names joined by commas (payload 2.0); undefined when there are none. */
export function joinedQueryParameters(query: URLSearchParams): Record<string, string> | undefined {
  let parameters: Record<string, string> | undefined;
  for (const [name, value] of query) {
    parameters ??= {};
    parameters[name] = parameters[name] === undefined ? value : `${parameters[name]},${value}`;
  }
  return parameters;
}

/** `12/Mar/2020:19:03:58 +0000`, API Gateway's request time format. */
export function formatRequestTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** HTTP API sends text bodies as they are and base64-encodes everything else. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    mediaType.startsWith('text/') ||
    /^application\/(json|javascript|xml|yaml|x-yaml|graphql)$/.test(mediaType) ||
    /^application\/[\w.-]+\+(json|xml)$/.test(mediaType)
  );
}

function normaliseIp(address: string): string {
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

/** The headers API Gateway adds before handing a request to the integration. */
function addForwardingHeaders(headers: Record<string, string[]>, sourceIp: string, port: number): void {
  const forwardedFor = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = [
    forwardedFor === undefined ? sourceIp : `${forwardedFor.join(', ')}, ${sourceIp}`,
  ];
  headers['x-forwarded-port'] = [String(port)];
  headers['x-forwarded-proto'] = ['http'];
  headers['x-amzn-trace-id'] = [
    `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
  ];
}
