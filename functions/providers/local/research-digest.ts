// search_web: a research digest. The local provider cannot search the web, so it says so and builds its
// findings from the task alone: each finding sets one of the task's key terms in a trend frame from a
// fixed vocabulary, the frames (and their source kinds) chosen by the request's hash.
import { keyTerms } from './key-terms.ts';
import type { LocalInput } from './local-input.ts';
import { pickDistinct } from './stable-hash.ts';
import { taskSubject } from './task-subject.ts';

const FINDING_COUNT = 5;
const MAX_KEY_TERMS = 4;

interface TrendFrame {
  sentence: (term: string) => string;
  source: string;
}

const TREND_FRAMES: readonly TrendFrame[] = [
  {
    sentence: (term) =>
      `Adoption of ${term} is moving from pilots to production; integration with existing systems, not raw capability, is now the main constraint.`,
    source: 'Industry adoption survey',
  },
  {
    sentence: (term) =>
      `Spending on ${term} is concentrating on a few platforms, which makes vendor lock-in a growing concern for buyers.`,
    source: 'Analyst market briefing',
  },
  {
    sentence: (term) =>
      `Regulators are paying closer attention to ${term}, and organisations now document how they govern its use.`,
    source: 'Regulatory consultation paper',
  },
  {
    sentence: (term) =>
      `The cost of running ${term} keeps falling, which widens the range of use cases that pay off.`,
    source: 'Vendor pricing disclosures',
  },
  {
    sentence: (term) =>
      `Skills in ${term} remain scarce, so organisations increasingly retrain existing staff instead of hiring.`,
    source: 'Labour market study',
  },
  {
    sentence: (term) =>
      `Security and misuse risks of ${term} have become a board-level topic rather than an engineering detail.`,
    source: 'Security incident review',
  },
  {
    sentence: (term) =>
      `Few teams measure the outcomes of ${term} beyond pilots, so evidence of return on investment is still thin.`,
    source: 'Practitioner interviews',
  },
  {
    sentence: (term) => `Open-source work on ${term} is narrowing the gap with commercial offerings.`,
    source: 'Open-source project reports',
  },
  {
    sentence: (term) =>
      `Energy and infrastructure demands of ${term} are turning into a planning constraint for operators.`,
    source: 'Infrastructure capacity outlook',
  },
  {
    sentence: (term) =>
      `Interoperability standards for ${term} are emerging, lowering the cost of switching providers.`,
    source: 'Standards body working notes',
  },
];

export function researchDigest(input: LocalInput): string {
  const subject = taskSubject(input.task);
  const extracted = keyTerms(input.task, MAX_KEY_TERMS);
  const terms = extracted.length > 0 ? extracted : [subject];
  const frames = pickDistinct(TREND_FRAMES, input.seed, FINDING_COUNT);
  const findings = frames.map((frame, index) => {
    const term = terms[index % terms.length]!;
    return { term, text: frame.sentence(term), source: `${frame.source} on ${term}` };
  });
  return [
    `# Research digest: ${subject}`,
    '',
    `Key terms: ${terms.join(', ')}`,
    '',
    '## Findings',
    ...findings.map((finding, index) => `${index + 1}. ${finding.text} [${index + 1}]`),
    '',
    '## Sources',
    ...findings.map((finding, index) => `[${index + 1}] ${finding.source}`),
    '',
    'Note: composed offline by trustgate-local-1 from the task text; no web search was performed, so the sources are labels to verify, not citations.',
  ].join('\n');
}
