// The resource an explicit step acts on when it names none: the step itself, typed by what its action
// touches. The type matters to policies and to manifests that restrict `allowedResourceTypes`, so it is
// derived from the action rather than left generic.
import type { AgentAction } from '../../core/policy/agent-actions.ts';
import type { StepResource } from './workflow-item.ts';

const RESOURCE_TYPE_OF_ACTION: Readonly<Record<AgentAction, string>> = {
  search_web: 'web',
  process_data: 'dataset',
  generate_document: 'document',
  review_document: 'document',
  call_api: 'api',
  write_file: 'file',
  delete_data: 'dataset',
  send_email: 'email',
  execute_code: 'code',
};

export function defaultStepResource(stepName: string, action: AgentAction): StepResource {
  return { id: stepName, type: RESOURCE_TYPE_OF_ACTION[action] };
}
