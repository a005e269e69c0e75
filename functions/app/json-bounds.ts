// Bounds on the free-form JSON a client may send (an intent's `context`, a workflow's extra `input` keys,
// a webhook's `filter`), checked before anything walks it. JSON.parse takes any depth, but whatever
// recurses once per level afterwards — zod's z.json(), JSON.stringify, the DynamoDB marshaller, the event
// pattern compiler — overflows the stack on a body nested some thousands of levels deep, and DynamoDB
// itself refuses more than 32 levels: either way a 500 for a client's mistake (found by the fuzz suite,
// test/integration/fuzz). These checks recurse at most `levels` deep, whatever the input.

/** Whether `value` has at most `levels` levels of objects and arrays (a scalar has none, `{}` one). */
export function nestedAtMost(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (levels <= 0) return false;
  const members = Array.isArray(value) ? value : Object.values(value);
  return members.every((member) => nestedAtMost(member, levels - 1));
}

/**
 * Whether every number in `value` is within ±2^53, so DynamoDB stores it and returns it exactly; the
 * document client refuses to marshal larger ones (a 500). Call it on values already known to be shallow.
 */
export function numbersAreExact(value: unknown): boolean {
  if (typeof value === 'number') return Math.abs(value) <= Number.MAX_SAFE_INTEGER;
  if (typeof value !== 'object' || value === null) return true;
  const members = Array.isArray(value) ? value : Object.values(value);
  return members.every(numbersAreExact);
}
