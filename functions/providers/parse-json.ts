// Service answers are checked against a schema after parsing, so a body that is not JSON at all is just
// one more body the schema refuses: undefined, never a SyntaxError escaping the adapter.
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
