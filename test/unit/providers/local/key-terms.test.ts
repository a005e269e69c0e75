import { describe, expect, it } from 'vitest';
import { keyTerms, topicalRuns } from '../../../../functions/providers/local/key-terms.ts';
import { taskSubject, titleCase } from '../../../../functions/providers/local/task-subject.ts';

describe('key terms of a task', () => {
  it.each([
    ['Write report on AI trends', ['AI']],
    ['Research quantum computing in drug discovery', ['quantum computing', 'drug discovery']],
    [
      'Compare solar, wind and tidal power for island grids',
      ['solar', 'wind', 'tidal power', 'island grids'],
    ],
    ['Write a report', []],
  ])('%s → %o', (task, terms) => {
    expect(keyTerms(task, 5)).toEqual(terms);
  });

  it('ranks repeated terms first and honours the limit', () => {
    expect(keyTerms('Costs of cloud storage. Cloud storage pricing. Edge caching.', 2)).toEqual([
      'Costs',
      'cloud storage',
    ]);
    expect(keyTerms('alpha. beta gamma. beta gamma. delta', 1)).toEqual(['beta gamma']);
  });

  it('keeps long runs whole for counting', () => {
    expect(topicalRuns('Audit found late suppliers; costs rose.')).toEqual([
      ['Audit', 'found', 'late', 'suppliers'],
      ['costs', 'rose'],
    ]);
  });
});

describe('subject and title of a task', () => {
  it.each([
    ['Write report on AI trends', 'AI trends'],
    ['Write a report about the future of work. Keep it short.', 'future of work'],
    ['Research quantum computing in drug discovery', 'quantum computing in drug discovery'],
    ['Please write', 'the request'],
  ])('%s → %s', (task, subject) => {
    expect(taskSubject(task)).toBe(subject);
  });

  it('title-cases without lowering acronyms or raising small words', () => {
    expect(titleCase('AI trends in healthcare and the EU')).toBe('AI Trends in Healthcare and the EU');
  });
});
