import { describe, expect, it } from 'vitest';
import {
  ExtractiveSummarizer,
  summarizeExtractively,
} from '../../../functions/core/budget/extractive-summarizer.ts';
import { countTokens } from '../../../functions/core/budget/tokenizer.ts';

const texts = [
  'The invoice pipeline failed at the reconciliation step. Weather in the region was mild. ' +
    'Reconciliation of the invoice batch needs the ledger export.',
  'The ledger export arrived late, so the invoice reconciliation was retried. Lunch was pizza.',
  'After the retry the invoice reconciliation matched the ledger totals. The office plants were watered.',
];

function sentencesOf(summary: string): string[] {
  return summary.split(/(?<=[.!?])\s+/).filter((sentence) => sentence !== '');
}

describe('summarizeExtractively', () => {
  it('produces a text shorter than its inputs, within the limit, made only of input sentences', () => {
    const inputTokens = countTokens(texts.join(' '));
    const summary = summarizeExtractively(texts, 30);
    expect(countTokens(summary)).toBeLessThanOrEqual(30);
    expect(countTokens(summary)).toBeLessThan(inputTokens);
    expect(summary.length).toBeGreaterThan(0);
    for (const sentence of sentencesOf(summary)) {
      expect(texts.some((text) => text.includes(sentence))).toBe(true);
    }
  });

  it('keeps the sentences about the recurring topic and drops the asides', () => {
    const summary = summarizeExtractively(texts, 40);
    expect(summary).toContain('reconciliation');
    expect(summary).not.toContain('pizza');
    expect(summary).not.toContain('plants');
  });

  it('keeps chosen sentences in their original order', () => {
    const summary = summarizeExtractively(texts, 60);
    const positions = sentencesOf(summary).map((sentence) => texts.join(' ').indexOf(sentence));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('cuts the best sentence when not even one whole sentence fits', () => {
    const summary = summarizeExtractively(texts, 3);
    expect(countTokens(summary)).toBe(3);
    expect(texts.some((text) => text.includes(summary))).toBe(true);
  });

  it('returns an empty summary for a zero budget or no input', () => {
    expect(summarizeExtractively(texts, 0)).toBe('');
    expect(summarizeExtractively([], 100)).toBe('');
  });

  it('is deterministic and available through the Summarizer interface', async () => {
    const summarizer = new ExtractiveSummarizer();
    expect(await summarizer.summarize(texts, 30)).toBe(summarizeExtractively(texts, 30));
  });
});

describe('summarizeExtractively without recurring words', () => {
  it('falls back to the first sentence', () => {
    expect(summarizeExtractively(['Alpha beta gamma. Delta epsilon zeta.'], 50)).toBe('Alpha beta gamma.');
  });
});
