// Workflow templates: named workflows a caller starts with `{ template, input }` instead of spelling the
// steps out (docs/backend.md "Workflows: the contract"). Each is run by the demo fleet (scripts/demo-fleet.ts)
// under the default policies, and shows one flow:
//   report      sequential: research (T3) → analysis (T4) → writing (T2), the seed's pipeline (SPEC §4.1)
//   parallel    three sub-tasks at once, aggregated into one result even if some fail
//   routing     steps that name a role, not an agent: `cost` picks standard-agent, `quality` premium-agent
//   escalation  the writing agent (a T2) is asked for T3 work: the trust threshold alone → ESCALATE level 1
//   saga        reserve → process → commit; a failure undoes the succeeded steps in reverse order
// test/unit/workflows/workflow-templates.test.ts asks the policy store about every step, so a fleet or
// policy change that would break a template shows up there.
import type { StepDefinition, SubtaskFailurePolicy, WorkflowType } from './workflow-item.ts';

export interface WorkflowTemplate {
  type: WorkflowType;
  steps: readonly StepDefinition[];
  /** Parallel templates: the policy when the request names none. */
  onSubtaskFailure?: SubtaskFailurePolicy;
}

export const WORKFLOW_TEMPLATES = {
  report: {
    type: 'sequential',
    steps: [
      {
        name: 'research',
        agentId: 'research-agent',
        requiredTier: 'T3',
        intent: 'search_web',
        resource: { id: 'web', type: 'web' },
      },
      {
        name: 'analysis',
        agentId: 'analysis-agent',
        requiredTier: 'T4',
        intent: 'process_data',
        resource: { id: 'research-notes', type: 'dataset' },
      },
      {
        name: 'writing',
        agentId: 'writing-agent',
        requiredTier: 'T2',
        intent: 'generate_document',
        resource: { id: 'report', type: 'document' },
      },
    ],
  },
  parallel: {
    type: 'parallel',
    // The point of the template is the aggregate: a failed sub-task is a gap in the result, not a failure.
    onSubtaskFailure: 'aggregate',
    steps: [
      {
        name: 'market',
        agentId: 'research-agent',
        requiredTier: 'T3',
        intent: 'search_web',
        resource: { id: 'market', type: 'web' },
      },
      {
        name: 'figures',
        agentId: 'analysis-agent',
        requiredTier: 'T4',
        intent: 'process_data',
        resource: { id: 'figures', type: 'dataset' },
      },
      {
        name: 'risks',
        agentId: 'review-agent',
        requiredTier: 'T4',
        intent: 'review_document',
        resource: { id: 'risks', type: 'document' },
      },
    ],
  },
  routing: {
    type: 'sequential',
    steps: [
      {
        name: 'research',
        role: 'general',
        requiredTier: 'T3',
        intent: 'search_web',
        resource: { id: 'web', type: 'web' },
      },
      {
        name: 'summary',
        role: 'general',
        requiredTier: 'T2',
        intent: 'generate_document',
        resource: { id: 'summary', type: 'document' },
      },
    ],
  },
  escalation: {
    type: 'sequential',
    steps: [
      {
        name: 'research',
        agentId: 'research-agent',
        requiredTier: 'T3',
        intent: 'search_web',
        resource: { id: 'web', type: 'web' },
      },
      {
        name: 'draft',
        agentId: 'writing-agent',
        requiredTier: 'T3',
        intent: 'generate_document',
        resource: { id: 'draft', type: 'document' },
      },
    ],
  },
  saga: {
    type: 'saga',
    steps: [
      {
        name: 'reserve-budget',
        agentId: 'analysis-agent',
        requiredTier: 'T3',
        intent: 'process_data',
        resource: { id: 'budget', type: 'dataset' },
      },
      {
        name: 'process',
        agentId: 'analysis-agent',
        requiredTier: 'T4',
        intent: 'process_data',
        resource: { id: 'workload', type: 'dataset' },
      },
      {
        name: 'commit',
        agentId: 'writing-agent',
        requiredTier: 'T2',
        intent: 'generate_document',
        resource: { id: 'ledger', type: 'document' },
      },
    ],
  },
} as const satisfies Record<string, WorkflowTemplate>;

export type TemplateName = keyof typeof WORKFLOW_TEMPLATES;

export const TEMPLATE_NAMES = Object.keys(WORKFLOW_TEMPLATES) as [TemplateName, ...TemplateName[]];

export function workflowTemplate(template: TemplateName): WorkflowTemplate {
  return WORKFLOW_TEMPLATES[template];
}

/** A fresh, mutable copy of the template's steps. */
export function templateSteps(template: TemplateName): StepDefinition[] {
  return WORKFLOW_TEMPLATES[template].steps.map((step) => ({ ...step, resource: { ...step.resource } }));
}
