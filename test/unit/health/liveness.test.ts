import { describe, expect, it } from 'vitest';
import { MEMORY_LIMIT_FRACTION, memoryCheck, memoryLimitMb } from '../../../functions/app/health/liveness.ts';

const MIB = 1024 * 1024;

describe('liveness: memory below 90 % of the limit', () => {
  it('is 90 %', () => {
    expect(MEMORY_LIMIT_FRACTION).toBe(0.9);
  });

  it('passes below 90 %, with the figures', () => {
    expect(memoryCheck({ usedBytes: 256 * MIB, limitMb: 512 })).toEqual({
      ok: true,
      usedMb: 256,
      limitMb: 512,
      usedPercent: 50,
      limitPercent: 90,
    });
    // One byte under the bound still passes.
    expect(memoryCheck({ usedBytes: 0.9 * 512 * MIB - 1, limitMb: 512 }).ok).toBe(true);
  });

  it('fails at exactly 90 %: live means strictly below', () => {
    const result = memoryCheck({ usedBytes: 0.9 * 1000 * MIB, limitMb: 1000 });
    expect(result).toMatchObject({ ok: false, usedMb: 900, limitMb: 1000, usedPercent: 90 });
    expect(result.error).toBe('900 MiB in use is 90 % of the 1000 MiB limit (live below 90 %)');
  });

  it('fails above 90 %, also past the limit itself', () => {
    expect(memoryCheck({ usedBytes: 500 * MIB, limitMb: 512 })).toMatchObject({
      ok: false,
      usedPercent: 97.7,
    });
    expect(memoryCheck({ usedBytes: 600 * MIB, limitMb: 512 }).ok).toBe(false);
  });

  it('reads the limit from AWS_LAMBDA_FUNCTION_MEMORY_SIZE; anything but a positive number is unknown', () => {
    expect(memoryLimitMb('512')).toBe(512);
    expect(memoryLimitMb('10240')).toBe(10240);
    for (const value of [undefined, '', '0', '-128', 'lots', 'Infinity'])
      expect(memoryLimitMb(value)).toBeUndefined();
  });
});
