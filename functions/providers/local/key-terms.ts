// The key terms of a request: its topical phrases, found the way RAKE finds keywords. Function words,
// instructions and punctuation split the text; each run of topical words left between them is a
// candidate ("Research quantum computing in drug discovery" → "quantum computing", "drug discovery").
// Candidates rank by how often they occur, then by first appearance.
import { isTopicWord } from './topic-words.ts';
import { wordsOf } from './words.ts';

const MAX_PHRASE_WORDS = 3;
const PHRASE_BREAK = /[.,;:!?()[\]{}"“”'‘’\n\r/|]+/u;

/** The runs of topical words between function words, instructions and punctuation, in reading order. */
export function topicalRuns(text: string): string[][] {
  const runs: string[][] = [];
  for (const chunk of text.split(PHRASE_BREAK)) {
    let run: string[] = [];
    for (const word of wordsOf(chunk)) {
      if (isTopicWord(word)) {
        run.push(word);
        continue;
      }
      if (run.length > 0) runs.push(run);
      run = [];
    }
    if (run.length > 0) runs.push(run);
  }
  return runs;
}

// A long run is several terms side by side; cut it into phrases a reader would still call one term.
function candidatePhrases(text: string): string[] {
  return topicalRuns(text).flatMap((run) =>
    Array.from({ length: Math.ceil(run.length / MAX_PHRASE_WORDS) }, (_, index) =>
      run.slice(index * MAX_PHRASE_WORDS, (index + 1) * MAX_PHRASE_WORDS).join(' '),
    ),
  );
}

export function keyTerms(text: string, limit: number): string[] {
  const ranked = new Map<string, { phrase: string; count: number; first: number }>();
  candidatePhrases(text).forEach((phrase, position) => {
    const key = phrase.toLowerCase();
    const entry = ranked.get(key);
    if (entry) entry.count += 1;
    else ranked.set(key, { phrase, count: 1, first: position });
  });
  return [...ranked.values()]
    .sort((a, b) => b.count - a.count || a.first - b.first)
    .slice(0, limit)
    .map((entry) => entry.phrase);
}
