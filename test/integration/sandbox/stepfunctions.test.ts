import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../fixtures/sandbox-app/eventually.ts';
import { useFixtureSandbox } from '../../fixtures/sandbox-app/fixture-sandbox.ts';

const fixture = useFixtureSandbox();

async function start(stateMachineArn: string, input: unknown): Promise<string> {
  const { executionArn } = await fixture.aws.sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
  );
  return executionArn!;
}

function finished(executionArn: string, timeoutMs?: number): Promise<DescribeExecutionCommandOutput> {
  return eventually(async () => {
    const execution = await fixture.aws.sfn.send(new DescribeExecutionCommand({ executionArn }));
    return execution.status === 'RUNNING' ? undefined : execution;
  }, timeoutMs);
}

/** The approval request's Lambda stores the task token in the table; an approver reads it from there. */
function approvalToken(requestId: string): Promise<string> {
  return eventually(async () => {
    const { Item } = await fixture.aws.dynamodb.send(
      new GetItemCommand({
        TableName: fixture.outputs.TableName,
        Key: { pk: { S: `approval#${requestId}` } },
      }),
    );
    return Item?.token?.S;
  });
}

describe('task-token approval flow', () => {
  it('resumes with the approver output on SendTaskSuccess', async () => {
    const executionArn = await start(fixture.outputs.ApprovalFlowArn!, { requestId: 'approve-1' });
    const taskToken = await approvalToken('approve-1');
    await fixture.aws.sfn.send(
      new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ approvedBy: 'alice' }) }),
    );
    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toEqual({
      requestId: 'approve-1',
      decision: { approvedBy: 'alice' },
    });
  });

  it('fails with the approver error on SendTaskFailure', async () => {
    const executionArn = await start(fixture.outputs.ApprovalFlowArn!, { requestId: 'reject-1' });
    const taskToken = await approvalToken('reject-1');
    await fixture.aws.sfn.send(
      new SendTaskFailureCommand({ taskToken, error: 'Rejected', cause: 'not this time' }),
    );
    const execution = await finished(executionArn);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'not this time' });
  });

  it('escalates through the States.Timeout catch when nobody answers', async () => {
    const executionArn = await start(fixture.outputs.ApprovalFlowArn!, { requestId: 'silent-1' });
    await approvalToken('silent-1');
    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    const output = JSON.parse(execution.output!);
    expect(output.outcome).toBe('escalated');
    expect(output.timeout.Error).toBe('States.Timeout');
  });
});

describe('Map, Parallel, Retry and Catch', () => {
  it('maps, runs branches, retries the flaky call and catches the declined payment', async () => {
    const executionArn = await start(fixture.outputs.OrchestrationFlowArn!, {
      key: `order-${Date.now()}`,
      numbers: [1, 2, 3],
    });
    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    const output = JSON.parse(execution.output!);
    expect(output.doubled).toEqual([{ value: 2 }, { value: 4 }, { value: 6 }]);
    expect(output.branches[0]).toBe('left');
    // The flaky function fails once, so the retried call succeeds on the second attempt.
    expect(output.branches[1]).toMatchObject({ attempts: 2 });
    expect(output.paymentError.Error).toBe('PaymentDeclined');
  });
});

describe('six-state Lambda pipeline', () => {
  it('runs every step in order', async () => {
    const execution = await finished(await start(fixture.outputs.PipelineArn!, { trail: [] }));
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toEqual({
      trail: ['validate', 'enrich', 'score', 'decide', 'record', 'notify'],
    });
  });
});

describe('definitions the engine cannot run faithfully', () => {
  it('refuses a JSONata state, naming it', async () => {
    const definition = {
      StartAt: 'Compute',
      States: {
        Compute: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.a + 1 %}', End: true },
      },
    };
    await expect(
      fixture.aws.sfn.send(
        new CreateStateMachineCommand({
          name: 'jsonata-flow',
          definition: JSON.stringify(definition),
          roleArn: 'arn:aws:iam::000000000000:role/flow',
        }),
      ),
    ).rejects.toThrow(/Compute/);
  });
});
