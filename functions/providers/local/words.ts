// Words and sentences of free text, the units every local composer works with.

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu;
// A sentence ends at . ! or ? followed by space, unless what follows is its citation ("… pay off. [5]").
const SENTENCE_END = /(?<=[.!?])\s+(?!\[\d+\])/u;
// Markdown list markers, heading hashes and emphasis: layout, not words of the sentence.
const MARKDOWN_PREFIX = /^\s*(?:#{1,6}\s+|\d+[.)]\s+|[-*•]\s+)/u;

export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being ' +
    'below between both but by can could did do does doing down during each either few for from further ' +
    'had has have having he her here hers him his how i if in into is it its itself just me more most my ' +
    'no nor not now of off on once only or other our ours out over own same she should so some such than ' +
    'that the their theirs them then there these they this those through to too under until up upon us ' +
    'very was we were what when where which while who whom why will with within without would you your ' +
    'yours across among per via vs rather still less many much while'
  ).split(' '),
);

export function wordsOf(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** A word that carries meaning on its own: not a function word, not a bare number. */
export function isContentWord(word: string): boolean {
  const lower = word.toLowerCase();
  return !STOP_WORDS.has(lower) && !/^\p{N}+$/u.test(lower) && lower.length > 1;
}

export function stripMarkdown(line: string): string {
  return line.replace(MARKDOWN_PREFIX, '').replaceAll('**', '').replaceAll('`', '').trim();
}

/** Sentences in reading order, one line never spilling into the next (headings and list items stand alone). */
export function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    for (const raw of stripMarkdown(line).split(SENTENCE_END)) {
      const sentence = raw.replace(/\s+/g, ' ').trim();
      if (sentence !== '') sentences.push(sentence);
    }
  }
  return sentences;
}

export function wordCount(text: string): number {
  return wordsOf(text).length;
}
