// The body of POST /v1/workflows, validated into a plan: either a template
//   { "template": "report", "input": { "task": "…" } }
// or explicit steps
//   { "type": "sequential", "input": { "task": "…" },
//     "steps": [{ "name", "agentId", "requiredTier": "T0"…"T5", "intent", "resource"? }] }
// Unknown keys are refused so a misspelt field is named instead of ignored. Routing by `role` and the
// parallel and saga types are planned (SPEC §4) but not served yet: they are refused with a 400 that
// says so, rather than accepted and run as something else.
import { z } from 'zod';
import { DEFAULT_BUDGET_CONFIG } from '../../core/budget/budget-allocation.ts';
import { countTokens } from '../../core/budget/tokenizer.ts';
import { AGENT_ACTIONS } from '../../core/policy/agent-actions.ts';
import { TIERS, type TierCode } from '../../core/trust/tiers.ts';
import { defaultStepResource } from './default-step-resource.ts';
import { TEMPLATE_NAMES, type TemplateName, templateSteps } from './report-template.ts';
import type { StepDefinition, WorkflowInput, WorkflowType } from './workflow-item.ts';

export const MAX_WORKFLOW_STEPS = 20;

/** SPEC §7: the request section of an agent call is at most 8K tokens, and the task is that request. */
export const MAX_TASK_TOKENS = DEFAULT_BUDGET_CONFIG.requestMaxTokens;

// Tokenizing is linear in the text, so an absurdly long task is refused before it is tokenized. 8K tokens
// of any natural text stay far below this: it would take 32 characters per token.
const MAX_TASK_CHARACTERS = MAX_TASK_TOKENS * 32;

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const IDENTIFIER_MESSAGE = 'letters, digits and . _ : - only, starting with a letter or digit';

const TIER_CODES = TIERS.map((tier) => tier.code) as [TierCode, ...TierCode[]];

const TaskSchema = z
  .string()
  .max(MAX_TASK_CHARACTERS, `must be at most ${MAX_TASK_TOKENS} tokens`)
  .refine((task) => task.trim() !== '', 'must not be empty')
  .refine((task) => countTokens(task) <= MAX_TASK_TOKENS, `must be at most ${MAX_TASK_TOKENS} tokens`);

/** `task` is what the agents work on; other keys travel with the workflow for later steps and callers. */
const InputSchema = z.looseObject({ task: TaskSchema });

const StepSchema = z.strictObject({
  name: z.string().min(1).max(64).regex(IDENTIFIER, IDENTIFIER_MESSAGE),
  agentId: z.string().min(1).max(128).regex(IDENTIFIER, IDENTIFIER_MESSAGE),
  role: z
    .never({
      error: 'routing by role is not available yet (it arrives with the next issue); name an agentId',
    })
    .optional(),
  requiredTier: z.enum(TIER_CODES, { error: `must be one of ${TIER_CODES.join(', ')}` }),
  intent: z.enum(AGENT_ACTIONS, { error: `must be one of ${AGENT_ACTIONS.join(', ')}` }),
  resource: z
    .strictObject({
      id: z.string().min(1).max(256),
      type: z.string().min(1).max(100),
    })
    .optional(),
});

const StepsSchema = z
  .array(StepSchema)
  .min(1, 'at least one step is required')
  .max(MAX_WORKFLOW_STEPS, `at most ${MAX_WORKFLOW_STEPS} steps`)
  .superRefine((steps, context) => {
    const seen = new Set<string>();
    steps.forEach((step, index) => {
      if (seen.has(step.name)) {
        context.addIssue({
          code: 'custom',
          message: `step name "${step.name}" is used twice`,
          path: [index, 'name'],
        });
      }
      seen.add(step.name);
    });
  });

export const ExplicitStepsBodySchema = z.strictObject({
  type: z.literal('sequential', {
    error:
      'must be "sequential"; parallel and saga workflows are not available yet (they arrive with the next issue)',
  }),
  input: InputSchema,
  steps: StepsSchema,
});

export const TemplateBodySchema = z.strictObject({
  template: z.enum(TEMPLATE_NAMES, { error: `must be one of ${TEMPLATE_NAMES.join(', ')}` }),
  input: InputSchema,
});

/** Which schema a body is checked against: a `template` key means the template form. */
export function startWorkflowBodySchema(
  body: unknown,
): typeof TemplateBodySchema | typeof ExplicitStepsBodySchema {
  const isTemplateForm = typeof body === 'object' && body !== null && 'template' in body;
  return isTemplateForm ? TemplateBodySchema : ExplicitStepsBodySchema;
}

export interface WorkflowPlan {
  template?: TemplateName;
  type: WorkflowType;
  input: WorkflowInput;
  steps: StepDefinition[];
}

export type StartWorkflowBody =
  | z.output<typeof TemplateBodySchema>
  | z.output<typeof ExplicitStepsBodySchema>;

/** The steps the workflow runs, with templates expanded and default resources filled in. */
export function workflowPlan(body: StartWorkflowBody): WorkflowPlan {
  if ('template' in body) {
    return {
      template: body.template,
      type: 'sequential',
      input: body.input,
      steps: templateSteps(body.template),
    };
  }
  return {
    type: body.type,
    input: body.input,
    steps: body.steps.map((step) => ({
      name: step.name,
      agentId: step.agentId,
      requiredTier: step.requiredTier,
      intent: step.intent,
      resource: step.resource ?? defaultStepResource(step.name, step.intent),
    })),
  };
}
