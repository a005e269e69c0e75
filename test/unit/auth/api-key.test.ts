// The key format: generation, checksum, parsing, hashing, the constant-time comparison.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  apiKeyMatches,
  apiKeyPrefix,
  generateApiKey,
  hashApiKey,
  keyEnvForStage,
  parseApiKey,
} from '../../../functions/core/auth/api-key.ts';

describe('generateApiKey', () => {
  it('makes tg_<env>_<12-char id><32-char secret><6-char checksum> and stores only its SHA-256', () => {
    const generated = generateApiKey('dev');
    expect(generated.key).toMatch(/^tg_dev_[0-9A-Za-z]{50}$/);
    expect(generated.key.slice(7, 19)).toBe(generated.keyId);
    expect(generated.secretHash).toBe(hashApiKey(generated.key));
    expect(generated.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(generated.secretHash).not.toContain(generated.key.slice(19, 51));
  });

  it('never repeats a key or an id', () => {
    const keys = Array.from({ length: 2000 }, () => generateApiKey('dev'));
    expect(new Set(keys.map((key) => key.key)).size).toBe(keys.length);
    expect(new Set(keys.map((key) => key.keyId)).size).toBe(keys.length);
  });

  it('refuses an env that would make the key ambiguous', () => {
    expect(() => generateApiKey('my_env')).toThrow(/env/);
    expect(() => generateApiKey('')).toThrow(/env/);
  });
});

describe('parseApiKey', () => {
  it('reads back the env and id of every generated key', () => {
    for (const env of ['dev', 'prod', 'sandbox', 'eu1']) {
      const generated = generateApiKey(env);
      expect(parseApiKey(generated.key)).toEqual({ env, keyId: generated.keyId });
    }
  });

  it('refuses any single changed character: the checksum catches a typo without a database read', () => {
    const { key } = generateApiKey('dev');
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    fc.assert(
      fc.property(
        fc.integer({ min: 7, max: key.length - 1 }),
        fc.integer({ min: 1, max: 61 }),
        (at, shift) => {
          const replaced = alphabet[(alphabet.indexOf(key[at]!) + shift) % 62]!;
          expect(parseApiKey(`${key.slice(0, at)}${replaced}${key.slice(at + 1)}`)).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each(['', 'tg_dev_', 'Bearer tg_dev_x', 'sk_live_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN'])(
    'refuses %j',
    (text) => {
      expect(parseApiKey(text)).toBeUndefined();
    },
  );

  it('refuses a truncated or extended key', () => {
    const { key } = generateApiKey('dev');
    expect(parseApiKey(key.slice(0, -1))).toBeUndefined();
    expect(parseApiKey(`${key}0`)).toBeUndefined();
  });
});

describe('apiKeyMatches', () => {
  it('is true for the key itself and false for another key, even with the same id', () => {
    const generated = generateApiKey('dev');
    expect(apiKeyMatches(generated.key, generated.secretHash)).toBe(true);
    expect(apiKeyMatches(generateApiKey('dev').key, generated.secretHash)).toBe(false);
    const sameIdOtherSecret = `${generated.key.slice(0, 19)}${'A'.repeat(32)}${generated.key.slice(-6)}`;
    expect(apiKeyMatches(sameIdOtherSecret, generated.secretHash)).toBe(false);
  });

  it('is false, not an exception, for a malformed stored hash', () => {
    expect(apiKeyMatches(generateApiKey('dev').key, 'abc')).toBe(false);
  });
});

describe('keyEnvForStage and apiKeyPrefix', () => {
  it('drops the dashes a stage may have and shows only the non-secret start of a key', () => {
    expect(keyEnvForStage('dev')).toBe('dev');
    expect(keyEnvForStage('eu-prod-2')).toBe('euprod2');
    expect(apiKeyPrefix('dev', 'AbCdEfGhIjKl')).toBe('tg_dev_AbCdEfGhIjKl');
  });
});
