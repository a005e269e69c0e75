// Request limiters for tests that exercise routes rather than the rate limit: the route tables are handed
// to routeRequest with this one, which admits everything and adds no header. The rate limit itself is
// tested against DynamoDB Local (test/integration/api/rate-limit.test.ts) and end to end.
import type { RequestLimiter } from '../../functions/http/http-router.ts';

export const admitEveryRequest: RequestLimiter = async () => ({ headers: {} });
