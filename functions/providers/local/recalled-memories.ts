// What the local provider does with recalled memories (providers/memory-block.ts): it cannot reason over
// them, so it says plainly which ones it built on — the first sentence of each of the most relevant few,
// under their ids — after the composed answer. A reader (and the memory demo) can see exactly what was reused.
import { readMemoryBlock } from '../memory-block.ts';

const MAX_NOTED = 3;
const MAX_GIST_CHARACTERS = 200;

/** The "Recalled from memory" section for the memories in a system prompt; empty when there are none. */
export function recalledMemoriesSection(system: string): string {
  const { memories } = readMemoryBlock(system);
  const noted = memories.slice(0, MAX_NOTED);
  if (noted.length === 0) return '';
  const lines = noted.map(({ memoryId, text }) => {
    const label = memoryId === undefined ? 'summary of earlier memories' : `memory ${memoryId}`;
    return `- ${label}: ${gist(text)}`;
  });
  const more = memories.length - noted.length;
  return [
    '## Recalled from memory',
    '',
    ...lines,
    ...(more > 0 ? [`- and ${more} more recalled ${more === 1 ? 'memory' : 'memories'}`] : []),
  ].join('\n');
}

/** The first sentence (or line) of a memory that says something, shortened on a word boundary. */
function gist(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.replace(/^[#>*\-\s]+/, '').trim())
    .filter((line) => line.length > 0);
  const first = lines[0] ?? '';
  const sentence = /^(.+?[.!?])(\s|$)/u.exec(first)?.[1] ?? first;
  if (sentence.length <= MAX_GIST_CHARACTERS) return sentence;
  const cut = sentence.slice(0, MAX_GIST_CHARACTERS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1))}…`;
}
