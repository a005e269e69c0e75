/** What a Task state's `Resource` ARN asks Step Functions to do. */
export interface TaskResource {
  /** The history's `resourceType`: `lambda`, `sqs`, `dynamodb` or `events`. */
  service: 'lambda' | 'sqs' | 'dynamodb' | 'events';
  /** The API action (`invoke`, `sendMessage`, `getItem`...). */
  action: string;
  waitForTaskToken: boolean;
  /** Set for the original form `arn:aws:lambda:...:function:name`: the function invoked with the state input. */
  lambdaFunctionArn?: string;
}

// The optimized integrations the sandbox emulates, and the patterns AWS allows for each.
const SUPPORTED_ACTIONS: Record<TaskResource['service'], { actions: string[]; waitForTaskToken: boolean }> = {
  lambda: { actions: ['invoke'], waitForTaskToken: true },
  sqs: { actions: ['sendMessage'], waitForTaskToken: true },
  dynamodb: { actions: ['getItem', 'putItem', 'updateItem', 'deleteItem'], waitForTaskToken: false },
  events: { actions: ['putEvents'], waitForTaskToken: true },
};

const LAMBDA_FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/;
const OPTIMIZED_INTEGRATION_ARN =
  /^arn:aws[a-z-]*:states:[a-z0-9-]*:\d{0,12}:([a-z0-9-]+):([A-Za-z]+)(\.[A-Za-z0-9:]+)?$/;

/** Parses a Resource ARN, or returns why the sandbox cannot run it. */
export function parseTaskResource(arn: string): TaskResource | { unsupported: string } {
  if (LAMBDA_FUNCTION_ARN.test(arn)) {
    return { service: 'lambda', action: 'invoke', waitForTaskToken: false, lambdaFunctionArn: arn };
  }
  const match = OPTIMIZED_INTEGRATION_ARN.exec(arn);
  if (!match)
    return { unsupported: `the resource '${arn}' is not a Lambda function or a service integration` };
  const [, service = '', action = '', pattern] = match;
  const support = SUPPORTED_ACTIONS[service as TaskResource['service']];
  if (!support?.actions.includes(action)) {
    return { unsupported: `the service integration '${service}:${action}' is not emulated by the sandbox` };
  }
  if (pattern !== undefined && !(pattern === '.waitForTaskToken' && support.waitForTaskToken)) {
    return {
      unsupported: `the integration pattern '${service}:${action}${pattern}' is not emulated by the sandbox`,
    };
  }
  return { service: service as TaskResource['service'], action, waitForTaskToken: pattern !== undefined };
}

/** The history's `resource` field: the action and its pattern suffix. */
export function historyResourceName(resource: TaskResource): string {
  return resource.waitForTaskToken ? `${resource.action}.waitForTaskToken` : resource.action;
}
