// The themes of a body of text, ranked by how often they are mentioned. Candidates are single topical
// words and adjacent pairs of them; a pair wins a tie against a single word (it says more), and a chosen
// theme excludes any candidate sharing a word with it, so "quantum computing" is not followed by
// "quantum". Each theme keeps as evidence a sentence that mentions it, preferring one no other theme cites.
import { topicalRuns } from './key-terms.ts';
import { sentencesOf, wordsOf } from './words.ts';

export interface Theme {
  label: string;
  mentions: number;
  evidence: string;
}

interface Candidate {
  label: string;
  words: string[];
  mentions: number;
  first: number;
}

const MAX_EVIDENCE_WORDS = 40;
// Evidence is a statement: it ends like a sentence (optionally followed by its citation). Headings and
// labels ("Key terms: …") only show that a theme is named, not what is said about it.
const STATEMENT_END = /[.!?](?:\s*\[\d+\])?$/u;

function countCandidates(texts: readonly string[]): Candidate[] {
  const candidates = new Map<string, Candidate>();
  let position = 0;
  const add = (words: string[]): void => {
    const key = words.join(' ').toLowerCase();
    const candidate = candidates.get(key);
    if (candidate === undefined) {
      candidates.set(key, { label: words.join(' '), words: key.split(' '), mentions: 1, first: position });
    } else {
      candidate.mentions += 1;
      // Only a sentence's first word is capitalised for position alone: one lowercase occurrence shows
      // the word is common, and the theme is written that way ("Security …" then "security" → security).
      if (words.join(' ') === key) candidate.label = key;
    }
    position += 1;
  };
  for (const text of texts) {
    for (const words of topicalRuns(text)) {
      words.forEach((word, index) => {
        add([word]);
        const next = words[index + 1];
        if (next !== undefined) add([word, next]);
      });
    }
  }
  return [...candidates.values()];
}

function mentionsTheme(sentence: string, theme: Candidate): boolean {
  const words = wordsOf(sentence).map((word) => word.toLowerCase());
  return words.some((_, index) => theme.words.every((word, offset) => words[index + offset] === word));
}

function shorten(sentence: string): string {
  const words = sentence.split(' ');
  return words.length <= MAX_EVIDENCE_WORDS ? sentence : `${words.slice(0, MAX_EVIDENCE_WORDS).join(' ')} …`;
}

export function rankThemes(texts: readonly string[], limit: number): Theme[] {
  const ranked = countCandidates(texts).sort(
    (a, b) => b.mentions - a.mentions || b.words.length - a.words.length || a.first - b.first,
  );
  const chosen: Candidate[] = [];
  for (const candidate of ranked) {
    if (chosen.length === limit) break;
    const overlaps = chosen.some((theme) => theme.words.some((word) => candidate.words.includes(word)));
    if (!overlaps) chosen.push(candidate);
  }
  const sentences = texts.flatMap(sentencesOf);
  const cited = new Set<string>();
  return chosen.map((theme) => {
    const mentioning = sentences.filter((sentence) => mentionsTheme(sentence, theme));
    const full = mentioning.filter((sentence) => STATEMENT_END.test(sentence));
    const evidence = full.find((sentence) => !cited.has(sentence)) ?? full[0] ?? mentioning[0] ?? theme.label;
    cited.add(evidence);
    return { label: theme.label, mentions: theme.mentions, evidence: shorten(evidence) };
  });
}
