// review_document: a review of the most recent prior message (the draft under review; the task itself
// when nothing precedes it). Three checks — length, structure, claims without a [n] source — and a
// verdict: APPROVE when all pass, REVISE naming the failed checks otherwise.
import type { LocalInput } from './local-input.ts';
import { sentencesOf, wordCount } from './words.ts';

const MIN_WORDS = 150;
const MIN_BODY_SECTIONS = 2;
const MAX_QUOTED_CLAIMS = 3;

// A sentence asserts something checkable when it states a share, an amount, a year or a multiple, or
// speaks in absolutes. Plain counts ("five sections") are description, not claims.
const CLAIM =
  /\d+(?:[.,]\d+)?\s*(?:%|percent|per cent|x\b|times\b|billion|million|thousand|bn\b)|[$€£]\s?\d|\b(?:19|20)\d{2}\b|\b(?:always|never|every|majority|prove[sd]?|guarantee[sd]?|doubl\w*|tripl\w*|fastest|largest|biggest)\b/iu;
const CITATION = /\[\d+\]/u;
const CITATION_LABEL = /\[\d+\]/gu;
const SUMMARY_HEADING = /^#{1,6}\s+.*\bsummary\b/imu;
const CONCLUSION_HEADING = /^#{1,6}\s+.*\bconclusions?\b/imu;
// Reference lists close a document; they are not part of its argument.
const SOURCES_HEADING = /^#{1,6}\s+.*\b(?:sources|references|bibliography)\b/imu;
const HEADING = /^#{1,6}\s+\S/u;

interface Check {
  name: string;
  passed: boolean;
  detail: string;
}

function lengthCheck(document: string): Check {
  // Citation labels ("[1]") are references, not words of the text.
  const words = wordCount(document.replaceAll(CITATION_LABEL, ''));
  return { name: 'Length', passed: words >= MIN_WORDS, detail: `${words} words (minimum ${MIN_WORDS})` };
}

function structureCheck(document: string): Check {
  const headings = document.split(/\r?\n/).filter((line) => HEADING.test(line));
  const hasTitle = headings.some((line) => /^#\s/u.test(line));
  const hasSummary = SUMMARY_HEADING.test(document);
  const hasConclusion = CONCLUSION_HEADING.test(document);
  const bodySections = headings.filter(
    (line) =>
      /^#{2,6}\s/u.test(line) &&
      !SUMMARY_HEADING.test(line) &&
      !CONCLUSION_HEADING.test(line) &&
      !SOURCES_HEADING.test(line),
  ).length;
  const missing = [
    hasTitle ? undefined : 'a title',
    hasSummary ? undefined : 'a summary',
    bodySections >= MIN_BODY_SECTIONS ? undefined : `${MIN_BODY_SECTIONS} body sections`,
    hasConclusion ? undefined : 'a conclusion',
  ].filter((part): part is string => part !== undefined);
  return {
    name: 'Sections',
    passed: missing.length === 0,
    detail:
      missing.length === 0
        ? `title, summary, ${bodySections} body sections and a conclusion`
        : `missing ${missing.join(', ')} (found ${headings.length} headings)`,
  };
}

function sourcingCheck(document: string): Check {
  const prose = document
    .split(/\r?\n/)
    .filter((line) => !HEADING.test(line) && !/^\s*\[\d+\]/u.test(line))
    .join('\n');
  const claims = sentencesOf(prose).filter((sentence) => CLAIM.test(sentence));
  const unsourced = claims.filter((sentence) => !CITATION.test(sentence));
  const quoted = unsourced.slice(0, MAX_QUOTED_CLAIMS).map((sentence) => `"${sentence}"`);
  return {
    name: 'Unsourced claims',
    passed: unsourced.length === 0,
    detail:
      unsourced.length === 0
        ? claims.length === 0
          ? 'no figures or absolute statements to source'
          : `${claims.length} claim(s), each with a [n] source`
        : `${unsourced.length} of ${claims.length} claim(s) without a [n] source, e.g. ${quoted.join('; ')}`,
  };
}

function documentTitle(document: string): string {
  const title = /^#\s+(.+)$/mu.exec(document)?.[1];
  return title?.trim() ?? 'untitled document';
}

export function documentReview(input: LocalInput): string {
  const document = input.priorContext.at(-1) ?? input.task;
  const checks = [lengthCheck(document), structureCheck(document), sourcingCheck(document)];
  const failed = checks.filter((check) => !check.passed);
  const verdict =
    failed.length === 0
      ? `APPROVE: all ${checks.length} checks passed.`
      : `REVISE: ${failed.length} of ${checks.length} checks failed (${failed.map((check) => check.name.toLowerCase()).join(', ')}).`;
  return [
    `# Review: ${documentTitle(document)}`,
    '',
    '## Checks',
    ...checks.map((check) => `- ${check.name}: ${check.passed ? 'PASS' : 'FAIL'}: ${check.detail}.`),
    '',
    '## Verdict',
    verdict,
  ].join('\n');
}
