import { describe, expect, it } from 'vitest';
import {
  parseReadinessQueues,
  parseReadinessTables,
} from '../../../functions/app/health/readiness-targets.ts';

describe('READINESS_TABLES and READINESS_QUEUES', () => {
  it('read the name → table and name → queue URL objects the stack writes', () => {
    expect(parseReadinessTables('{"agents":"Trustgate-dev-AgentsTable-1"}')).toEqual({
      agents: 'Trustgate-dev-AgentsTable-1',
    });
    expect(parseReadinessQueues('{"analytics":"http://127.0.0.1:4566/000000000000/q"}')).toEqual({
      analytics: 'http://127.0.0.1:4566/000000000000/q',
    });
  });

  it('refuse a missing, non-JSON or mis-shaped value, naming the variable', () => {
    expect(() => parseReadinessTables(undefined)).toThrow('environment variable READINESS_TABLES is not set');
    expect(() => parseReadinessQueues('{')).toThrow('READINESS_QUEUES is not JSON');
    expect(() => parseReadinessQueues('{"analytics":"not a url"}')).toThrow(
      /^READINESS_QUEUES is not a \{ "<queue>": "<queue url>" \} object/,
    );
    expect(() => parseReadinessTables('["agents"]')).toThrow(/^READINESS_TABLES is not a/);
  });
});
