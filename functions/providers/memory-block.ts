// How recalled memories travel to a model: a block after the system prompt, opened by a fixed header line,
// each memory one paragraph starting with its id in brackets. Every provider receives it as part of the
// system prompt (the model reads it as standing context, not as a turn of the conversation); the local
// provider finds it by the header and says which memories it built on.
export const MEMORY_BLOCK_HEADER =
  'Memories you recalled from earlier work, most relevant first (use them where they bear on this step; ' +
  'they may be out of date):';

const SYSTEM_SEPARATOR = '\n\n';

const MEMORY_MARKER = '[memory ';
const NEUTRAL_MARKER = '(memory ';

/**
 * The text of one memory in the block: one paragraph (its own blank lines closed up), so paragraphs split
 * back into memories; a marker inside the text is written `(memory `, so that every marker in the block is a
 * memory's own (a summary of several keeps theirs, and so reads back as no single memory).
 */
export function memoryParagraph(memoryId: string, text: string): string {
  const paragraph = text
    .trim()
    .replace(/\n(\s*\n)+/g, '\n')
    .replaceAll(MEMORY_MARKER, NEUTRAL_MARKER);
  return `${MEMORY_MARKER}${memoryId}] ${paragraph}`;
}

/** The system prompt with the memory section after it; the prompt alone when nothing was recalled. */
export function withMemoryBlock(systemPrompt: string, memorySection: string): string {
  if (memorySection.trim() === '') return systemPrompt;
  return `${systemPrompt}${SYSTEM_SEPARATOR}${MEMORY_BLOCK_HEADER}\n${memorySection}`;
}

/** What withMemoryBlock adds besides the section itself: its tokens come out of the memory budget. */
export const MEMORY_BLOCK_FRAME = `${SYSTEM_SEPARATOR}${MEMORY_BLOCK_HEADER}\n`;

export interface SystemWithMemory {
  systemPrompt: string;
  /** The block's paragraphs, in order: a memory (with its id), or a summary of several (without). */
  memories: { memoryId?: string; text: string }[];
}

/** Splits a system prompt built by withMemoryBlock back into the prompt and the memory paragraphs. */
export function readMemoryBlock(system: string): SystemWithMemory {
  const at = system.indexOf(`${SYSTEM_SEPARATOR}${MEMORY_BLOCK_HEADER}\n`);
  if (at === -1) return { systemPrompt: system, memories: [] };
  const block = system.slice(at + MEMORY_BLOCK_FRAME.length);
  const memories = block
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => {
      const match = /^\[memory ([^\]\s]+)\]\s*([\s\S]*)$/.exec(paragraph);
      // A summary of several memories keeps their markers inside: it is no single memory's text.
      const single = match !== null && !match[2]!.includes(MEMORY_MARKER);
      return single ? { memoryId: match[1]!, text: match[2]! } : { text: paragraph };
    });
  return { systemPrompt: system.slice(0, at), memories };
}
