// API keys (docs/backend.md "Identity and access"): `tg_<env>_<keyId><secret><checksum>`
//   env       the deployment stage the key belongs to, lowercase letters and digits (`sandbox`, `prod`)
//   keyId     12 base62 characters: the record's key, shown in listings; not secret
//   secret    32 base62 characters (≈ 190 bits from the CSPRNG)
//   checksum  6 base62 characters of the CRC-32 of everything before it, so a mistyped or truncated key
//             is refused without a database read (and secret scanners can recognise a real one)
// Only the SHA-256 of the whole key is stored. A slow password hash buys nothing here: the secret is
// random and long, not a human's password, and the authorizer must stay fast.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const KEY_ID_LENGTH = 12;
const SECRET_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const BODY_LENGTH = KEY_ID_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH;

export const KEY_ENV_PATTERN = /^[a-z0-9]{1,16}$/;
export const KEY_ID_PATTERN = new RegExp(`^[0-9A-Za-z]{${KEY_ID_LENGTH}}$`);
const KEY_PATTERN = new RegExp(`^tg_([a-z0-9]{1,16})_([0-9A-Za-z]{${BODY_LENGTH}})$`);

export interface ParsedApiKey {
  env: string;
  keyId: string;
}

export interface NewApiKey extends ParsedApiKey {
  /** The key itself: shown once, never stored. */
  key: string;
  secretHash: string;
}

/** A fresh key for `env`, with what to store of it. */
export function generateApiKey(env: string): NewApiKey {
  if (!KEY_ENV_PATTERN.test(env)) throw new Error(`API key env must match ${KEY_ENV_PATTERN}, got "${env}"`);
  const keyId = randomBase62(KEY_ID_LENGTH);
  const unchecked = `tg_${env}_${keyId}${randomBase62(SECRET_LENGTH)}`;
  const key = `${unchecked}${checksum(unchecked)}`;
  return { key, env, keyId, secretHash: hashApiKey(key) };
}

/** The key's env and id when it is well-formed and its checksum holds; otherwise undefined. */
export function parseApiKey(key: string): ParsedApiKey | undefined {
  const match = KEY_PATTERN.exec(key);
  if (!match) return undefined;
  const [, env, body] = match as unknown as [string, string, string];
  const unchecked = key.slice(0, key.length - CHECKSUM_LENGTH);
  if (checksum(unchecked) !== key.slice(-CHECKSUM_LENGTH)) return undefined;
  return { env, keyId: body.slice(0, KEY_ID_LENGTH) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Whether `key` hashes to `storedHash`, in time independent of where the two differ. */
export function apiKeyMatches(key: string, storedHash: string): boolean {
  const actual = Buffer.from(hashApiKey(key), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The non-secret start of a key, for listings and logs: `tg_<env>_<keyId>`. */
export function apiKeyPrefix(env: string, keyId: string): string {
  return `tg_${env}_${keyId}`;
}

function checksum(text: string): string {
  let value = crc32(Buffer.from(text, 'utf8'));
  let encoded = '';
  for (let index = 0; index < CHECKSUM_LENGTH; index++) {
    encoded = BASE62[value % 62] + encoded;
    value = Math.floor(value / 62);
  }
  return encoded;
}

function randomBase62(length: number): string {
  let text = '';
  for (let index = 0; index < length; index++) text += BASE62[randomInt(62)];
  return text;
}

/** The `<env>` of a stage's keys: the stage (lowercase letters, digits, dashes) without its dashes, ≤ 16. */
export function keyEnvForStage(stage: string): string {
  const env = stage.replace(/-/g, '').slice(0, 16);
  if (!KEY_ENV_PATTERN.test(env)) throw new Error(`stage "${stage}" gives no valid API key env`);
  return env;
}
