// Token counting with a real BPE tokenizer (SPEC §7: "token counts come from a real tokenizer").
//
// Encoding: o200k_base, the encoding of OpenAI's current model families (GPT-4o, GPT-4.1, GPT-5,
// o-series). cl100k_base would match only the older GPT-4/3.5 models. Bedrock models keep their
// tokenizers private, so for them any public BPE is an estimate; o200k_base is the most recent
// general-purpose vocabulary and the budget's margins (the response reserve) absorb the difference.
//
// The encoding's rank table takes about a second to load, so it is imported once, statically, at
// module load (a Lambda pays it during init, not per request) rather than lazily per call.
import { decode, encode } from 'gpt-tokenizer/encoding/o200k_base';

// Text handed to us is data, never control: strings such as "<|endoftext|>" are counted as the
// ordinary characters they are instead of being rejected (the library's default) or mapped to
// special token ids.
const TEXT_ONLY = { disallowedSpecial: new Set<string>() };

export const TOKENIZER_ENCODING = 'o200k_base' as const;

function encodeTokens(text: string): number[] {
  return encode(text, TEXT_ONLY);
}

export function countTokens(text: string): number {
  return encodeTokens(text).length;
}

/**
 * The longest prefix of `text` that is at most `maxTokens` tokens and ends on a token boundary.
 * Decoding a token prefix can end inside a multi-byte character; such prefixes are not prefixes of
 * the original string, so the cut moves back token by token until it is one.
 */
export function truncateToTokens(text: string, maxTokens: number): string {
  const tokens = encodeTokens(text);
  if (tokens.length <= maxTokens) return text;
  for (let kept = Math.max(0, maxTokens); kept > 0; kept--) {
    const prefix = decode(tokens.slice(0, kept));
    if (text.startsWith(prefix) && countTokens(prefix) <= maxTokens) return prefix;
  }
  return '';
}
