// What a task is about, in the task's own words: "Write report on AI trends" → "AI trends". The phrase
// after the first "on / about / regarding / …" is the subject; without one, the line from its first topical word.
import { isTopicWord } from './topic-words.ts';

const SUBJECT_AFTER = /\b(?:on|about|regarding|concerning|covering|into|of)\s+(?:the\s+)?([^.!?;:\n]+)/iu;
const MAX_SUBJECT_WORDS = 12;
const FALLBACK_SUBJECT = 'the request';
const SMALL_WORDS: ReadonlySet<string> = new Set('a an and as at by for in of on or the to vs'.split(' '));

export function taskSubject(task: string): string {
  const firstLine = task.split(/\r?\n/, 1)[0] ?? '';
  const subject = SUBJECT_AFTER.exec(firstLine)?.[1]
    ?.trim()
    .replace(/,$/u, '')
    .split(/\s+/u)
    .slice(0, MAX_SUBJECT_WORDS)
    .join(' ');
  if (subject !== undefined && subject !== '') return subject;
  // "Research quantum computing in drug discovery" → "quantum computing in drug discovery".
  const words = (firstLine.split(/[.!?;:]/u, 1)[0] ?? '').trim().split(/\s+/u);
  const firstTopical = words.findIndex((word) => isTopicWord(word));
  if (firstTopical !== -1) return words.slice(firstTopical, firstTopical + MAX_SUBJECT_WORDS).join(' ');
  return FALLBACK_SUBJECT;
}

/** Title case that keeps acronyms as written ("AI trends in healthcare" → "AI Trends in Healthcare"). */
export function titleCase(text: string): string {
  return text
    .split(' ')
    .map((word, index) =>
      index > 0 && SMALL_WORDS.has(word.toLowerCase())
        ? word
        : `${word.charAt(0).toUpperCase()}${word.slice(1)}`,
    )
    .join(' ');
}
