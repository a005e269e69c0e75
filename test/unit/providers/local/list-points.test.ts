import { describe, expect, it } from 'vitest';
import { listPoints, sourceLines } from '../../../../functions/providers/local/list-points.ts';

describe('list points', () => {
  it('splits bold-led, colon-led and plain items into heading and body', () => {
    const text = [
      'Intro line, not a point.',
      '1. **AI** (mentioned 5 times): budget follows AI.',
      '2) Costs: falling fast.',
      '- A very long bullet that is really a sentence rather than any kind of heading at all',
    ].join('\n');
    expect(listPoints(text)).toEqual([
      { heading: 'AI', body: 'budget follows AI.' },
      { heading: 'Costs', body: 'falling fast.' },
      {
        heading: 'A very long bullet that is really a …',
        body: 'A very long bullet that is really a sentence rather than any kind of heading at all',
      },
    ]);
  });

  it('collects numbered source lines', () => {
    expect(sourceLines('text\n[1] Survey on AI\n [2] Study\n[x] no')).toEqual([
      '[1] Survey on AI',
      '[2] Study',
    ]);
  });
});
