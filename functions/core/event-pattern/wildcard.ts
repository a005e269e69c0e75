// `wildcard` matching: `*` stands for any run of characters (possibly empty); `\*` is a literal star
// and `\\` a literal backslash. Like AWS, consecutive stars and any other escape are rejected.

/** Compiles a wildcard expression; throws an Error whose message is the AWS reason. */
export function compileWildcard(expression: string): (value: string) => boolean {
  const segments = splitOnUnescapedStars(expression);
  return (value) => matchesSegments(segments, value);
}

function splitOnUnescapedStars(expression: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let position = 0; position < expression.length; position++) {
    const character = expression[position]!;
    if (character === '\\') {
      const escaped = expression[position + 1];
      if (escaped !== '*' && escaped !== '\\') throw new Error(`Invalid escape character at pos ${position}`);
      current += escaped;
      position++;
    } else if (character === '*') {
      if (expression[position + 1] === '*')
        throw new Error(`Consecutive wildcard characters at pos ${position}`);
      segments.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  segments.push(current);
  return segments;
}

/** segments[0] must start the value, the last must end it, the ones between appear in order. */
function matchesSegments(segments: string[], value: string): boolean {
  const first = segments[0]!;
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1]!;
  if (!value.startsWith(first)) return false;
  if (value.length < first.length + last.length || !value.endsWith(last)) return false;
  let cursor = first.length;
  const end = value.length - last.length;
  for (const middle of segments.slice(1, -1)) {
    const found = value.indexOf(middle, cursor);
    if (found === -1 || found + middle.length > end) return false;
    cursor = found + middle.length;
  }
  return true;
}
