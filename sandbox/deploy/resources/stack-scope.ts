/** What names and ARNs of a stack's resources are derived from. */
export interface StackScope {
  stackName: string;
  region: string;
  accountId: string;
  /** Queue URLs point at the edge, as the ones SQS returns through it do. */
  edgeUrl: string;
}

/** Thrown when a property the sandbox reads holds something it cannot emulate. */
export class UnsupportedPropertyError extends Error {
  constructor(logicalId: string, type: string, detail: string) {
    super(`${logicalId} (${type}): ${detail}`);
  }
}

export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
