// statemachines/sequential-pipeline.asl.json, checked by asl-validator and run by the sandbox's Step
// Functions engine with in-process stand-ins for the gate and finish functions.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { GATE_ERROR_NAMES, GateError } from '../../../functions/app/gate/gate-errors.ts';
import type { StepFunctionsService } from '../../../sandbox/stepfunctions/service.ts';
import {
  createService,
  createStateMachine,
  type Handler,
  inProcessLambda,
  lambdaArn,
  runExecution,
} from '../sandbox/stepfunctions/in-process-lambda.ts';

const DEFINITION_PATH = new URL('../../../statemachines/sequential-pipeline.asl.json', import.meta.url);
const definitionText = readFileSync(DEFINITION_PATH, 'utf8');

type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
// asl-validator is CommonJS without type declarations.
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

/** `${Name}`, the CDK's DefinitionSubstitutions placeholder syntax. */
const placeholder = (name: string) => `\${${name}}`;

/** The definition with its deploy-time placeholders filled, as the CDK's DefinitionSubstitutions do. */
function deployedDefinition(): unknown {
  return JSON.parse(
    definitionText
      .replaceAll(placeholder('GateFunctionArn'), lambdaArn('gate'))
      .replaceAll(placeholder('FinishFunctionArn'), lambdaArn('finish')),
  );
}

const executionInput = {
  workflowId: 'wf-1',
  tenantId: 'acme',
  steps: [
    { index: 0, agentId: 'research-agent' },
    { index: 1, agentId: 'analysis-agent' },
    { index: 2, agentId: 'writing-agent' },
  ],
};

let service: StepFunctionsService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function run(handlers: Record<string, Handler>) {
  const lambda = inProcessLambda(handlers);
  service = createService(lambda);
  const arn = await createStateMachine(service, 'sequential-pipeline', deployedDefinition());
  const execution = await runExecution(service, arn, executionInput);
  const calls = (name: string) =>
    lambda.calls.filter((call) => call.functionName.endsWith(`:${name}`)).map((call) => call.event);
  return { execution, calls };
}

const gateOutcome = (event: unknown) => ({ ...(event as object), status: 'SUCCEEDED' });
const finishOutcome = (event: unknown) => ({
  workflowId: (event as { workflowId: string }).workflowId,
  status: 'DONE',
});

describe('the sequential pipeline definition', () => {
  it('is valid ASL, JSONPath only, with the placeholders the stack substitutes', () => {
    const definition = JSON.parse(definitionText);
    const validation = aslValidator(definition);

    expect(validation.errorsText('\n')).toBe('');
    expect(validation.isValid).toBe(true);
    expect(definitionText).not.toMatch(/JSONata|"Assign"|"Arguments"/);
    expect(definitionText).toContain(placeholder('GateFunctionArn'));
    expect(definitionText).toContain(placeholder('FinishFunctionArn'));
  });

  it('runs every step through the gate in order, then finishes SUCCEEDED', async () => {
    const { execution, calls } = await run({ gate: gateOutcome, finish: finishOutcome });

    expect(execution.status).toBe('SUCCEEDED');
    expect(calls('gate')).toEqual([
      { workflowId: 'wf-1', tenantId: 'acme', stepIndex: 0, agentId: 'research-agent' },
      { workflowId: 'wf-1', tenantId: 'acme', stepIndex: 1, agentId: 'analysis-agent' },
      { workflowId: 'wf-1', tenantId: 'acme', stepIndex: 2, agentId: 'writing-agent' },
    ]);
    expect(calls('finish')).toEqual([{ workflowId: 'wf-1', tenantId: 'acme', status: 'SUCCEEDED' }]);
    expect(JSON.parse(execution.output as string)).toEqual({ workflowId: 'wf-1', status: 'DONE' });
  });

  // The sandbox's engine keeps starting queued Map iterations after one has failed (AWS does not), so
  // these tests count the failed step's invocations; the gate itself refuses a step whose predecessors
  // have not succeeded.
  const stepIndexes = (events: unknown[]) =>
    events.map((event) => (event as { stepIndex: number }).stepIndex);

  it('records the failure of a denied step with the error the gate named', async () => {
    const { execution, calls } = await run({
      gate: (event) => {
        if ((event as { stepIndex: number }).stepIndex === 1) {
          throw new GateError(
            GATE_ERROR_NAMES.stepDenied,
            'agent "analysis-agent" does not declare "process_data"',
          );
        }
        return gateOutcome(event);
      },
      finish: finishOutcome,
    });

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Trustgate.StepDenied');
    expect(stepIndexes(calls('gate')).filter((index) => index === 1)).toHaveLength(1);
    const finishCalls = calls('finish') as { status: string; error: { Error: string; Cause: string } }[];
    expect(finishCalls).toHaveLength(1);
    expect(finishCalls[0]).toMatchObject({ workflowId: 'wf-1', tenantId: 'acme', status: 'FAILED' });
    expect(finishCalls[0]!.error.Error).toBe('Trustgate.StepDenied');
    expect(JSON.parse(finishCalls[0]!.error.Cause).errorMessage).toBe(
      'agent "analysis-agent" does not declare "process_data"',
    );
  });

  it.each([GATE_ERROR_NAMES.stepEscalated, GATE_ERROR_NAMES.circuitOpen, GATE_ERROR_NAMES.providerRejected])(
    'does not retry %s',
    async (name) => {
      const { execution, calls } = await run({
        gate: (event) => {
          if ((event as { stepIndex: number }).stepIndex === 0) throw new GateError(name, 'refused');
          return gateOutcome(event);
        },
        finish: finishOutcome,
      });

      expect(execution.status).toBe('FAILED');
      expect(stepIndexes(calls('gate')).filter((index) => index === 0)).toHaveLength(1);
      expect(calls('finish')).toMatchObject([{ status: 'FAILED', error: { Error: name } }]);
    },
  );

  it('records FAILED when finishing the succeeded workflow fails, rather than leave it RUNNING', async () => {
    const { execution, calls } = await run({
      gate: gateOutcome,
      finish: (event) => {
        if ((event as { status: string }).status === 'SUCCEEDED')
          throw new Error('the seal transaction failed');
        return finishOutcome(event);
      },
    });

    expect(execution.status).toBe('FAILED');
    expect(calls('finish')).toMatchObject([
      { status: 'SUCCEEDED' },
      { status: 'FAILED', error: { Error: 'Error' } },
    ]);
  });

  it('retries a rate-limited step until the bucket admits it', async () => {
    let refusals = 0;
    const { execution, calls } = await run({
      gate: (event) => {
        if (refusals < 2) {
          refusals += 1;
          throw new GateError(GATE_ERROR_NAMES.rateLimited, 'over the limit');
        }
        return gateOutcome(event);
      },
      finish: finishOutcome,
    });

    expect(execution.status).toBe('SUCCEEDED');
    expect(stepIndexes(calls('gate'))).toEqual([0, 0, 0, 1, 2]);
  });

  it('retries a transient provider failure of a step, then carries on', async () => {
    let failures = 0;
    const { execution, calls } = await run({
      gate: (event) => {
        if ((event as { stepIndex: number }).stepIndex === 0 && failures === 0) {
          failures += 1;
          throw new GateError(GATE_ERROR_NAMES.providerFailed, 'throttled');
        }
        return gateOutcome(event);
      },
      finish: finishOutcome,
    });

    expect(execution.status).toBe('SUCCEEDED');
    expect(stepIndexes(calls('gate'))).toEqual([0, 0, 1, 2]);
  });
});
