// Any other action: a structured answer that restates the request, names its key terms and the themes of
// the prior context, and proposes steps built from them (phrasings chosen by the request's hash).
import { keyTerms } from './key-terms.ts';
import type { LocalInput } from './local-input.ts';
import { pickDistinct } from './stable-hash.ts';
import { taskSubject, titleCase } from './task-subject.ts';
import { rankThemes } from './themes.ts';

const MAX_TERMS = 5;
const MAX_THEMES = 3;
const MAX_REQUEST_CHARS = 300;
const MIN_STEPS = 3;

const APPROACHES: readonly ((term: string) => string)[] = [
  (term) => `Confirm the scope and expected outcome for ${term} with the requester.`,
  (term) => `Collect the inputs that ${term} depends on and check they are current.`,
  (term) => `Carry out the ${term} work in small, reversible increments.`,
  (term) => `Record what was done about ${term} and how to verify it.`,
  (term) => `Hand the result on ${term} to the next step with its open questions.`,
];

function humanise(action: string): string {
  return titleCase(action.replaceAll(/[_-]+/gu, ' ').trim() || 'answer');
}

export function genericAnswer(input: LocalInput): string {
  const subject = taskSubject(input.task);
  const terms = keyTerms(input.task, MAX_TERMS);
  const focus = terms.length > 0 ? terms : [subject];
  const themes = rankThemes(input.priorContext, MAX_THEMES).map((theme) => theme.label);
  const request =
    input.task.length > MAX_REQUEST_CHARS
      ? `${input.task.slice(0, MAX_REQUEST_CHARS)} …`
      : input.task || '(empty)';
  return [
    `# ${humanise(input.action)}: ${subject}`,
    '',
    `Prepared by the ${input.agentRole || 'unnamed'} agent for the action ${input.action || '(none)'}.`,
    '',
    '## Request',
    request,
    '',
    '## Key terms',
    ...focus.map((term) => `- ${term}`),
    '',
    '## Context',
    input.priorContext.length > 0
      ? `${input.priorContext.length} prior message(s); main themes: ${themes.join(', ') || 'none recurring'}.`
      : 'No prior context was provided.',
    '',
    '## Proposed approach',
    ...pickDistinct(APPROACHES, input.seed, Math.max(focus.length, MIN_STEPS)).map(
      (approach, index) => `${index + 1}. ${approach(focus[index % focus.length]!)}`,
    ),
  ].join('\n');
}
