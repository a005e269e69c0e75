// zod validation that fails as a 400 `validation_failed` listing each issue with the dotted path of its
// field, prefixed by where the input came from (`pathParameters.`, `headers.`, or nothing for the body).
import type { z } from 'zod';
import { type FieldError, validationFailed } from './api-error.ts';

export function validateInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  fieldPrefix = '',
): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw validationFailed(zodIssuesAsFieldErrors(parsed.error.issues, fieldPrefix));
}

export function zodIssuesAsFieldErrors(issues: readonly z.core.$ZodIssue[], fieldPrefix = ''): FieldError[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // A strict object names its unknown keys in one issue on the object; each key is a field of its own.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: prefixed(fieldPrefix, [...path, key].join('.')),
        message: 'unknown field',
      }));
    }
    return [{ field: prefixed(fieldPrefix, path.join('.')), message: issue.message }];
  });
}

/** `manifest` + `identity.agentId` → `manifest.identity.agentId`; an empty path names the prefix itself. */
export function prefixed(prefix: string, path: string): string {
  if (prefix === '') return path === '' ? 'body' : path;
  return path === '' ? prefix : `${prefix}.${path}`;
}
