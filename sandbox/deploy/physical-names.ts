import { createHash } from 'node:crypto';

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * The random part CloudFormation appends to names it generates, made deterministic (derived from the
 * stack and logical id) so a restarted sandbox finds the tables and queues it kept in its data dir.
 */
export function deterministicSuffix(stackName: string, logicalId: string, length = 12): string {
  const digest = createHash('sha256').update(`${stackName}/${logicalId}`).digest();
  return Array.from(
    digest.subarray(0, length),
    (byte) => SUFFIX_ALPHABET[byte % SUFFIX_ALPHABET.length],
  ).join('');
}

/**
 * A name as CloudFormation generates it when the template gives none: `<stack>-<logicalId>-<SUFFIX>`,
 * the readable part cut so the whole fits the service's limit (and keeps a required ending such as `.fifo`).
 */
export function generatedPhysicalName(
  stackName: string,
  logicalId: string,
  options: { maxLength: number; ending?: string; includeStackName?: boolean },
): string {
  const suffix = deterministicSuffix(stackName, logicalId);
  const ending = options.ending ?? '';
  const readable = options.includeStackName === false ? logicalId : `${stackName}-${logicalId}`;
  const room = options.maxLength - suffix.length - 1 - ending.length;
  return `${readable.slice(0, room)}-${suffix}${ending}`;
}

/** A lower-case id in the shape of API Gateway ids (`a1b2c3d4e5`). */
export function generatedResourceId(stackName: string, logicalId: string, length = 10): string {
  const digest = createHash('sha256').update(`${stackName}/${logicalId}/id`).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(digest.subarray(0, length), (byte) => alphabet[byte % alphabet.length]).join('');
}
