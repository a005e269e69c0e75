// Which kind of target an ARN names, among those the sandbox delivers to.

import { parseArn } from '../arns.ts';

export type TargetKind =
  | { service: 'sqs'; queueName: string; fifo: boolean }
  | { service: 'states'; stateMachineArn: string }
  | { service: 'lambda'; functionArn: string };

export function targetKind(arn: string): TargetKind | undefined {
  const parsed = parseArn(arn);
  if (!parsed) return undefined;
  if (parsed.service === 'sqs' && !parsed.resource.includes('/')) {
    return { service: 'sqs', queueName: parsed.resource, fifo: parsed.resource.endsWith('.fifo') };
  }
  if (parsed.service === 'states' && parsed.resource.startsWith('stateMachine:')) {
    return { service: 'states', stateMachineArn: arn };
  }
  if (parsed.service === 'lambda' && parsed.resource.startsWith('function:')) {
    return { service: 'lambda', functionArn: arn };
  }
  return undefined;
}
