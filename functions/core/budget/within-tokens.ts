// Whether a text of any length is within a token limit, at a cost linear in its length.
import { countTokens } from './tokenizer.ts';

// The tokenizer's byte-pair merging is quadratic in the length of a run without whitespace: 100 000 "é"
// take 10 s and 200 000 overflow its stack. A task is counted in pieces of at most this many characters,
// cut before whitespace where there is any (which leaves the count of ordinary text as it is), and the
// count stops at the first piece past the limit.
const TOKEN_COUNT_PIECE = 1_000;

/** Whether `text` is at most `maxTokens` tokens, at a cost linear in its length. */
export function withinTokens(text: string, maxTokens: number): boolean {
  let tokens = 0;
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + TOKEN_COUNT_PIECE);
    if (end < text.length) {
      const space = text.slice(start + 1, end).search(/\s\S*$/);
      if (space >= 0) end = start + 1 + space;
      else if (/[\ud800-\udbff]/.test(text[end - 1]!)) end -= 1; // never split a surrogate pair
    }
    tokens += countTokens(text.slice(start, end));
    if (tokens > maxTokens) return false;
    start = end;
  }
  return true;
}
