// A tenant id as the API accepts it anywhere (path, query, body): TENANT_ID_PATTERN, the rule every
// tenant-keyed record relies on (no `#`, so composite keys cannot collide).
import { z } from 'zod';
import { TENANT_ID_PATTERN } from '../../core/auth/caller.ts';

export const TenantIdSchema = z
  .string()
  .regex(TENANT_ID_PATTERN, 'letters, digits, - and _ only, at most 64 characters');
