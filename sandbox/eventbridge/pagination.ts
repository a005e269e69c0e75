// Limit / NextToken paging shared by the List operations. The token is the offset, opaque to callers.

import { validationError } from './aws-input.ts';

export function paginate<T>(items: T[], input: Record<string, unknown>): { page: T[]; NextToken?: string } {
  const limit = input.Limit === undefined ? 100 : Number(input.Limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw validationError(
      "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value between 1 and 100",
    );
  }
  const offset = typeof input.NextToken === 'string' ? decodeToken(input.NextToken) : 0;
  const page = items.slice(offset, offset + limit);
  const next = offset + limit;
  return next < items.length ? { page, NextToken: encodeToken(next) } : { page };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function decodeToken(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Falls through to the AWS error for a token it did not issue.
  }
  throw validationError('The NextToken provided is invalid.');
}
