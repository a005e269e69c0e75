import { AwsServiceError } from '../contracts.ts';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

/** One page of a list, with the opaque `nextToken` AWS list operations return while more remain. */
export function paginate<T>(
  items: readonly T[],
  input: Record<string, unknown>,
): { page: T[]; nextToken?: string } {
  const maxResults = input.maxResults ?? 0;
  if (
    typeof maxResults !== 'number' ||
    !Number.isInteger(maxResults) ||
    maxResults < 0 ||
    maxResults > MAX_PAGE_SIZE
  ) {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PAGE_SIZE}`,
    );
  }
  const pageSize = maxResults === 0 ? DEFAULT_PAGE_SIZE : maxResults;
  const start = input.nextToken === undefined ? 0 : decodeNextToken(input.nextToken);
  const end = start + pageSize;
  const page = items.slice(start, end);
  return end < items.length
    ? { page, nextToken: Buffer.from(JSON.stringify({ offset: end })).toString('base64') }
    : { page };
}

function decodeNextToken(token: unknown): number {
  try {
    const { offset } = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as {
      offset: unknown;
    };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Reported below, as any other token the sandbox did not issue.
  }
  throw new AwsServiceError('InvalidToken', `Invalid Token: '${String(token)}'`);
}
