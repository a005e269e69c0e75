// Workflow templates: named step lists a caller starts with `{ template, input }` instead of spelling the
// steps out. `report` is the seed's sequential pipeline (SPEC §4.1): research (T3, search_web) → analysis
// (T4, process_data) → writing (T2, generate_document), run by the demo fleet's agents.
import type { StepDefinition } from './workflow-item.ts';

export const WORKFLOW_TEMPLATES = {
  report: [
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
} as const satisfies Record<string, readonly StepDefinition[]>;

export type TemplateName = keyof typeof WORKFLOW_TEMPLATES;

export const TEMPLATE_NAMES = Object.keys(WORKFLOW_TEMPLATES) as [TemplateName, ...TemplateName[]];

/** A fresh, mutable copy of the template's steps. */
export function templateSteps(template: TemplateName): StepDefinition[] {
  return WORKFLOW_TEMPLATES[template].map((step) => ({ ...step, resource: { ...step.resource } }));
}
