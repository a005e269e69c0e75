import { describe, expect, it } from 'vitest';
import { rankThemes } from '../../../../functions/providers/local/themes.ts';

describe('theme ranking', () => {
  it('ranks by mentions, prefers the pair to its words and quotes a distinct statement for each', () => {
    const texts = [
      '# Notes\nSupply chains are shortening. Supply chains now favour nearby suppliers.',
      'Tariffs push supply chains closer to home. Tariffs raise prices.',
    ];
    const themes = rankThemes(texts, 3);
    expect(themes.map((theme) => [theme.label, theme.mentions])).toEqual([
      ['supply chains', 3],
      ['Tariffs', 2],
      ['favour nearby', 1],
    ]);
    expect(themes[0]?.evidence).toBe('Supply chains are shortening.');
    expect(themes[1]?.evidence).toBe('Tariffs push supply chains closer to home.');
  });

  it('writes a word lowercase once any mention shows it is not a proper noun', () => {
    const [theme] = rankThemes(['Security matters. Teams invest in security.'], 1);
    expect(theme?.label).toBe('security');
  });

  it('finds nothing in text without topical words', () => {
    expect(rankThemes(['It is what it is.'], 3)).toEqual([]);
  });
});
