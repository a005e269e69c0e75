// The intent chain is tamper-evident: an intent record changed behind the API's back, directly in its
// DynamoDB table, makes the chain verification fail and name the altered record.
import { randomUUID } from 'node:crypto';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { ChainIntegrity } from '../../../functions/app/intents/chain-integrity.ts';
import { DEMO_FLEET, demoAgentRegistration } from '../../../scripts/demo-fleet.ts';
import { type E2eTarget, tableNamed } from '../support/e2e-target.ts';
import { call } from '../support/http.ts';

export function intentChainTamperSuite(target: E2eTarget): void {
  describe('GET /v1/agents/{id}/intents/verify', () => {
    it('names the intent record altered directly in DynamoDB', async () => {
      // An agent of its own, so the altered chain breaks nothing another test (or a shared target) relies on.
      const research = DEMO_FLEET.find((agent) => agent.agentId === 'research-agent')!;
      const agentId = `tamper-${randomUUID().slice(0, 8)}`;
      const registration = demoAgentRegistration({ ...research, agentId });
      const registered = await call('POST', `${target.apiUrl}/v1/agents`, {
        body: registration,
        headers: target.defaultHeaders,
      });
      expect(registered.status).toBe(201);

      const intents: { intentId: string; sequence: number }[] = [];
      for (const resource of ['ai-trends', 'ai-safety', 'ai-chips']) {
        const declared = await call('POST', `${target.apiUrl}/v1/intents`, {
          headers: target.defaultHeaders,
          body: { agentId, action: 'search_web', resource: { id: resource, type: 'web' } },
        });
        expect(declared.status).toBe(201);
        intents.push(declared.body as { intentId: string; sequence: number });
      }
      const verifyUrl = `${target.apiUrl}/v1/agents/${agentId}/intents/verify`;
      expect((await call('GET', verifyUrl, { headers: target.defaultHeaders })).body).toMatchObject({
        valid: true,
        length: 3,
      });

      const altered = intents[1]!;
      await target.dynamodb.send(
        new UpdateItemCommand({
          TableName: await tableNamed(target.dynamodb, 'IntentsTable'),
          Key: { chainKey: { S: `default#${agentId}` }, sequence: { N: String(altered.sequence) } },
          UpdateExpression: 'SET #resource.#id = :forged',
          ExpressionAttributeNames: { '#resource': 'resource', '#id': 'id' },
          ExpressionAttributeValues: { ':forged': { S: 'payroll-database' } },
          ConditionExpression: 'attribute_exists(chainKey)',
        }),
      );

      const verified = await call('GET', verifyUrl, { headers: target.defaultHeaders });
      expect(verified.status).toBe(200);
      const answer = verified.body as ChainIntegrity;
      expect(answer.valid).toBe(false);
      expect(answer.brokenAt).toMatchObject({ sequence: altered.sequence, intentId: altered.intentId });
    });
  });
}
