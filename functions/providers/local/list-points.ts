// The points of a structured text: its numbered or bulleted list items, each split into a heading and a
// body. The heading is the item's bold lead ("**AI** (mentioned 5 times): …") or, without one, its words
// up to the first colon, dash or full stop.
import { stripMarkdown } from './words.ts';

export interface ListPoint {
  heading: string;
  body: string;
}

const LIST_ITEM = /^\s*(?:\d+[.)]|[-*•])\s+(.+)$/u;
const BOLD_LEAD = /^\*\*(.+?)\*\*\s*(?:\([^)]*\))?\s*[:—–-]?\s*(.*)$/u;
const PLAIN_LEAD = /^(.+?)(?::\s|\s[—–-]\s|\.\s)(.*)$/u;
const MAX_HEADING_WORDS = 8;

function splitItem(item: string): ListPoint {
  const bold = BOLD_LEAD.exec(item);
  if (bold) return { heading: bold[1]!.trim(), body: stripMarkdown(bold[2]!) };
  const plain = PLAIN_LEAD.exec(item);
  const heading = stripMarkdown(plain?.[1] ?? item);
  const body = stripMarkdown(plain?.[2] ?? '');
  if (heading.split(' ').length <= MAX_HEADING_WORDS) return { heading, body };
  // A long lead is a sentence, not a heading: keep it whole as the body under its first words.
  return {
    heading: `${heading.split(' ').slice(0, MAX_HEADING_WORDS).join(' ')} …`,
    body: stripMarkdown(item),
  };
}

export function listPoints(text: string): ListPoint[] {
  return text
    .split(/\r?\n/)
    .map((line) => LIST_ITEM.exec(line)?.[1])
    .filter((item): item is string => item !== undefined)
    .map(splitItem);
}

/** Source lines ("[1] Industry adoption survey on AI") a text lists, to carry into a document citing them. */
export function sourceLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /^\[\d+\]\s+\S/u.test(line));
}
