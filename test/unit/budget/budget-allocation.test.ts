import { describe, expect, it } from 'vitest';
import { allocateBudget } from '../../../functions/core/budget/budget-allocation.ts';

describe('allocateBudget', () => {
  it('splits the default 128K (131 072 tokens) as SPEC §7 says, leaving 98K available', () => {
    expect(allocateBudget()).toEqual({
      total: 131_072,
      systemPrompt: 2_048,
      memory: 16_384,
      request: 8_192,
      responseReserve: 4_096,
      available: 100_352,
    });
    expect(allocateBudget().available).toBe(98 * 1024);
  });

  it('takes overrides and gives the remainder to the available section', () => {
    const budget = allocateBudget({
      totalTokens: 32_768,
      memoryMaxTokens: 4_096,
      responseReserveTokens: 8_192,
    });
    expect(budget).toMatchObject({ total: 32_768, memory: 4_096, responseReserve: 8_192 });
    expect(budget.available).toBe(32_768 - 2_048 - 4_096 - 8_192 - 8_192);
  });

  it('refuses a response reserve below 4K', () => {
    expect(() => allocateBudget({ responseReserveTokens: 4_095 })).toThrow(/at least 4096/);
  });

  it('refuses sections that do not fit in the total', () => {
    expect(() => allocateBudget({ totalTokens: 16_000 })).toThrow(/total is 16000/);
  });

  it('refuses negative or fractional sizes', () => {
    expect(() => allocateBudget({ memoryMaxTokens: -1 })).toThrow(/memoryMaxTokens/);
    expect(() => allocateBudget({ requestMaxTokens: 1.5 })).toThrow(/requestMaxTokens/);
  });
});
