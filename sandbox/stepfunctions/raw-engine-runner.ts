import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { LambdaRuntime } from '../contracts.ts';
import { parseTaskResource } from './integrations/task-resource.ts';
import type { JsonValue } from './json.ts';
import { isJsonObject, parseJsonDocument } from './json.ts';
import type { AslStates } from './state-walk.ts';
import { forEachState } from './state-walk.ts';

/**
 * Runs a definition on the bare aws-local-stepfunctions engine, its Lambda tasks invoking the
 * in-process runtime directly: the baseline the sandbox's Step Functions service is measured
 * against. Only Lambda tasks (function ARN or `lambda:invoke`) are supported; the engine is
 * built once, so each call measures an execution alone.
 */
export function createRawEngineRunner(
  definition: AslStates,
  lambda: Pick<LambdaRuntime, 'invoke'>,
): (input: JsonValue) => Promise<JsonValue> {
  const handlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
  forEachState(definition, (name, state) => {
    if (state.Type !== 'Task') return;
    const resource = parseTaskResource(String(state.Resource));
    if ('unsupported' in resource || resource.service !== 'lambda' || resource.waitForTaskToken) {
      throw new Error(`State '${name}': the raw engine runner only runs Lambda request-response tasks`);
    }
    handlers[name] = async (input) => {
      if (resource.lambdaFunctionArn !== undefined) {
        return invokeForPayload(lambda, resource.lambdaFunctionArn, input);
      }
      const parameters = isJsonObject(input) ? input : {};
      return {
        Payload: await invokeForPayload(lambda, String(parameters.FunctionName), parameters.Payload ?? {}),
      };
    };
  });
  const engine = new StateMachine(definition as unknown as StateMachineDefinition, {
    validationOptions: { noValidate: true },
  });
  return (input) =>
    engine.run(input as never, { overrides: { taskResourceLocalHandlers: handlers as never } })
      .result as Promise<JsonValue>;
}

async function invokeForPayload(
  lambda: Pick<LambdaRuntime, 'invoke'>,
  functionName: string,
  event: JsonValue,
): Promise<JsonValue> {
  const result = await lambda.invoke(functionName, JSON.stringify(event), 'RequestResponse');
  if (result.functionError !== undefined) throw new Error(result.payload);
  return parseJsonDocument(result.payload) ?? result.payload;
}
