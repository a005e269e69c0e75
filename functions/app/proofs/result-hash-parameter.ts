// A result hash as the API accepts it: the one canonical spelling functions/core/proofs produces.
import { z } from 'zod';

export const ResultHashSchema = z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex characters (a SHA-256)');
