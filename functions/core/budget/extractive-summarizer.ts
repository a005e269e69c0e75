// A deterministic, offline summarizer: it keeps the input's most informative sentences, in their
// original order, up to the token limit. Nothing is invented, so every summary sentence can be
// traced back to an input (what an audit of "what did the agent see" needs).
//
// A sentence's score sums, over its distinct content words, how often the word recurs across all
// inputs (occurrences beyond the first: a word seen once says nothing about what the inputs are
// about), divided by the square root of its word count so long sentences do not win by length
// alone. The first sentence of each input gets a lead bonus, because writers put the gist first.
// Sentences sharing no recurring word are asides and stay out even when there is room; if nothing
// scores, the first sentence is the summary.
import type { Summarizer } from './summarizer.ts';
import { countTokens, truncateToTokens } from './tokenizer.ts';

const LEAD_SENTENCE_BONUS = 1.25;

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can do does for from had has have he her his i if in into is it ' +
    'its me my no not of on or our she so than that the their them then there these they this those to ' +
    'us was we were what when which who will with would you your'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'_-]*/gu;
const SENTENCE_END = /(?<=[.!?])\s+/u;

interface Sentence {
  text: string;
  position: number;
  isLead: boolean;
  contentWords: string[];
}

function contentWordsOf(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).filter((word) => !STOP_WORDS.has(word));
}

function splitSentences(texts: readonly string[]): Sentence[] {
  const sentences: Sentence[] = [];
  const seen = new Set<string>();
  for (const text of texts) {
    let isLead = true;
    for (const line of text.split(/\r?\n/)) {
      for (const raw of line.split(SENTENCE_END)) {
        const sentence = raw.replace(/\s+/g, ' ').trim();
        // A repeated sentence adds no information; keeping it once also keeps the summary short.
        if (sentence === '' || seen.has(sentence)) continue;
        seen.add(sentence);
        sentences.push({
          text: sentence,
          position: sentences.length,
          isLead,
          contentWords: contentWordsOf(sentence),
        });
        isLead = false;
      }
    }
  }
  return sentences;
}

interface RankedSentence {
  sentence: Sentence;
  score: number;
}

function rankSentences(sentences: readonly Sentence[]): RankedSentence[] {
  const frequency = new Map<string, number>();
  for (const sentence of sentences) {
    for (const word of sentence.contentWords) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  }
  const score = (sentence: Sentence): number => {
    const distinct = new Set(sentence.contentWords);
    let sum = 0;
    for (const word of distinct) sum += (frequency.get(word) ?? 1) - 1;
    const normalized = sum / Math.sqrt(sentence.contentWords.length || 1);
    return sentence.isLead ? normalized * LEAD_SENTENCE_BONUS : normalized;
  };
  return sentences
    .map((sentence) => ({ sentence, score: score(sentence) }))
    .sort((a, b) => b.score - a.score || a.sentence.position - b.sentence.position);
}

export function summarizeExtractively(texts: readonly string[], maxTokens: number): string {
  if (maxTokens <= 0) return '';
  const ranked = rankSentences(splitSentences(texts));
  const chosen: Sentence[] = [];
  let estimatedTokens = 0;
  for (const { sentence, score } of ranked) {
    if (score === 0) break;
    // Joined with a space, a sentence costs about what it costs with a leading space.
    const cost = countTokens(` ${sentence.text}`);
    if (estimatedTokens + cost > maxTokens) continue;
    chosen.push(sentence);
    estimatedTokens += cost;
  }
  const render = (selection: readonly Sentence[]): string =>
    [...selection]
      .sort((a, b) => a.position - b.position)
      .map((sentence) => sentence.text)
      .join(' ');
  // The per-sentence estimate can be off by a token at a join; drop the weakest choices until the
  // real count fits.
  let summary = render(chosen);
  while (chosen.length > 0 && countTokens(summary) > maxTokens) {
    chosen.pop();
    summary = render(chosen);
  }
  if (chosen.length > 0) return summary;
  // No scored sentence fits whole (or none scores): the best one, cut on a token boundary if needed.
  const best = ranked[0];
  return best === undefined ? '' : truncateToTokens(best.sentence.text, maxTokens);
}

export class ExtractiveSummarizer implements Summarizer {
  async summarize(texts: readonly string[], maxTokens: number): Promise<string> {
    return summarizeExtractively(texts, maxTokens);
  }
}
