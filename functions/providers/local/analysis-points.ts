// process_data: an analysis of the prior context. Themes are ranked by how often the context mentions
// them; each becomes a point with an implication (a fixed vocabulary, chosen by the request's hash) and
// the sentence of the context it rests on, so every point can be traced back to what the agent was given.
import { type LocalInput, workingTexts } from './local-input.ts';
import { pickDistinct } from './stable-hash.ts';
import { taskSubject } from './task-subject.ts';
import { rankThemes, type Theme } from './themes.ts';
import { sentencesOf, wordCount } from './words.ts';

const POINT_COUNT = 5;

const IMPLICATIONS: readonly ((theme: string) => string)[] = [
  (theme) => `decisions about ${theme} come first, because later choices depend on them.`,
  (theme) => `budget and attention are most likely to concentrate on ${theme}.`,
  (theme) => `${theme} needs a named owner and a metric, or it stays anecdotal.`,
  (theme) => `the evidence on ${theme} comes from few sources; treat it as a hypothesis to validate.`,
  (theme) => `${theme} interacts with the other themes and should be planned jointly with them.`,
  (theme) => `quick gains from ${theme} are likely, but a durable advantage needs process change around it.`,
  (theme) => `risks around ${theme} should be reviewed before scaling it further.`,
];

function pointLine(theme: Theme, index: number, implication: string): string {
  const times = theme.mentions === 1 ? 'once' : `${theme.mentions} times`;
  return `${index + 1}. **${theme.label}** (mentioned ${times}): ${implication} Evidence: "${theme.evidence}"`;
}

function summaryLine(themes: readonly Theme[]): string {
  const [strongest, ...rest] = themes;
  if (strongest === undefined) return 'Summary: the context gives no recurring theme to rank.';
  const followers = rest.slice(0, 2).map((theme) => theme.label);
  const tail = followers.length > 0 ? `, followed by ${followers.join(' and ')}` : '';
  return `Summary: the strongest signal is ${strongest.label} (${strongest.mentions} mentions)${tail}.`;
}

export function analysisPoints(input: LocalInput): string {
  const texts = workingTexts(input);
  const themes = rankThemes(texts, POINT_COUNT);
  // Distinct phrasings, so no two points share an implication.
  const implications = pickDistinct(IMPLICATIONS, input.seed, themes.length);
  const sentenceCount = texts.reduce((sum, text) => sum + sentencesOf(text).length, 0);
  const words = texts.reduce((sum, text) => sum + wordCount(text), 0);
  const basis =
    input.priorContext.length > 0
      ? `${input.priorContext.length} prior message(s), ${sentenceCount} sentences, ${words} words`
      : `the task alone (no prior context), ${words} words`;
  return [
    `# Analysis: ${taskSubject(input.task)}`,
    '',
    `Basis: ${basis}.`,
    '',
    '## Points',
    ...themes.map((theme, index) => pointLine(theme, index, implications[index]!(theme.label))),
    '',
    summaryLine(themes),
  ].join('\n');
}
