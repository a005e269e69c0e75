// generate_document: a written report. The title comes from the task; the sections are the points of the
// most recent prior message that lists some (the analysis, in the report pipeline), or, when no message
// does, the themes of the prior context; the summary and the conclusion tie them together. Sources the
// context lists are carried over so the report's [n] citations still resolve.
import { type ListPoint, listPoints, sourceLines } from './list-points.ts';
import { type LocalInput, workingTexts } from './local-input.ts';
import { pick, pickDistinct } from './stable-hash.ts';
import { taskSubject, titleCase } from './task-subject.ts';
import { rankThemes } from './themes.ts';

const MIN_POINTS = 2;

const BRIDGES: readonly ((heading: string, subject: string) => string)[] = [
  (heading, subject) => `For ${subject}, this makes ${heading} a priority for the next planning cycle.`,
  (heading, subject) => `Any plan for ${subject} should state explicitly how it handles ${heading}.`,
  (heading) => `Progress on ${heading} should be tracked with a measurable indicator rather than anecdotes.`,
  (heading, subject) =>
    `Among the forces shaping ${subject}, ${heading} is one to revisit as evidence accumulates.`,
  (heading) => `Decisions on ${heading} are easier to reverse early than late, which argues for acting now.`,
];

// One distinct bridge per section.
const MAX_SECTIONS = BRIDGES.length;

const NEXT_STEPS: readonly string[] = [
  'assign an owner to each section above and review progress quarterly',
  'validate the leading point with a small, measured pilot before committing budget',
  'turn the sections above into a ranked backlog and revisit it when new evidence arrives',
  'check each unsourced statement against primary sources before this report is circulated',
];

function sectionPoints(input: LocalInput): ListPoint[] {
  const withPoints = input.priorContext.map(listPoints).filter((points) => points.length >= MIN_POINTS);
  const latest = withPoints.at(-1);
  if (latest !== undefined) return latest.slice(0, MAX_SECTIONS);
  return rankThemes(workingTexts(input), MAX_SECTIONS).map((theme) => ({
    heading: theme.label,
    body: theme.evidence,
  }));
}

// The gist an earlier step already stated ("Summary: …" closes the analysis), restated up front.
function priorSummary(input: LocalInput): string | undefined {
  const lines = input.priorContext.flatMap((text) => text.split(/\r?\n/));
  const summary = lines.findLast((line) => /^summary:\s*\S/iu.test(line.trim()));
  return summary?.trim().replace(/^summary:\s*/iu, '');
}

function capitalise(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function joinHeadings(headings: readonly string[]): string {
  if (headings.length <= 1) return headings.join('');
  return `${headings.slice(0, -1).join(', ')} and ${headings.at(-1)}`;
}

export function writtenReport(input: LocalInput): string {
  const subject = taskSubject(input.task);
  const points = sectionPoints(input);
  const headings = points.map((point) => point.heading);
  const sources = input.priorContext.flatMap(sourceLines);
  const basis =
    input.priorContext.length > 0
      ? `It draws on ${input.priorContext.length} earlier contribution(s) and is organised around ${points.length} points.`
      : `No earlier material was provided, so it is organised around the ${points.length} themes of the request itself.`;
  const gist = priorSummary(input);
  const lead =
    gist !== undefined
      ? ` In brief: ${gist}`
      : headings.length > 0
        ? ` The leading point is ${headings[0]}.`
        : '';
  const bridges = pickDistinct(BRIDGES, input.seed, points.length);
  const sections = points.flatMap((point, index) => [
    `## ${index + 1}. ${titleCase(point.heading)}`,
    '',
    [capitalise(point.body), bridges[index]!(point.heading, subject)].filter((part) => part !== '').join(' '),
    '',
  ]);
  return [
    `# ${titleCase(subject)}: Report`,
    '',
    '## Executive summary',
    '',
    `This report covers ${subject}. ${basis}${lead}`,
    '',
    ...sections,
    '## Conclusion',
    '',
    `${headings.length > 0 ? `${capitalise(joinHeadings(headings))} shape the outlook for ${subject}.` : `The material on ${subject} is thin.`} Recommended next step: ${pick(NEXT_STEPS, input.seed, 'next')}.`,
    ...(sources.length > 0 ? ['', '## Sources', '', ...new Set(sources)] : []),
  ].join('\n');
}
