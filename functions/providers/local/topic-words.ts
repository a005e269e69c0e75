// Words that are never the topic of a request or a text, though they occur in almost every one:
// instructions to the agent ("write a report on …"), nouns that frame a topic without naming one
// ("trends", "overview") and the scaffolding of structured answers ("findings", "sources", "summary").
// Left in, they would top every frequency ranking and crowd out what the text is about.
import { isContentWord } from './words.ts';

const INSTRUCTION_WORDS =
  'write report create make generate produce draft prepare compose give provide please research analyze ' +
  'analyse analysis summarize summarise review find search look investigate explore study describe explain ' +
  'document brief briefing list outline assess evaluate compare identify discuss cover need want notify ' +
  'inform tell send email ask';

const FRAMING_NOUNS =
  'trend trends latest current recent future state overview landscape development developments update ' +
  'updates outlook topic topics insight insights area areas thing things aspect aspects today';

const SCAFFOLDING_WORDS =
  'digest findings finding sources source key term terms scope note summary points point implication ' +
  'evidence basis mention mentions verdict checks check section sections conclusion executive title ' +
  'offline synthesised trustgate-local-1 performed retrieval prepared agent request answer context pass fail ' +
  'mentioned times';

// Words too general to name a theme even when they recur ("its use", "use cases").
const GENERIC_WORDS =
  'use uses used using way ways new well like including based one two three lot kind part make makes';

const NON_TOPICAL: ReadonlySet<string> = new Set(
  `${INSTRUCTION_WORDS} ${FRAMING_NOUNS} ${SCAFFOLDING_WORDS} ${GENERIC_WORDS}`.split(' '),
);

export function isTopicWord(word: string): boolean {
  return isContentWord(word) && !NON_TOPICAL.has(word.toLowerCase());
}
