// The body of POST /v1/workflows (docs/backend.md "Workflows: the contract"), validated into a plan:
// either a template
//   { "template": "report" | "parallel" | "routing" | "escalation" | "saga", "input": { "task": "…" }, …options }
// or explicit steps
//   { "type": "sequential" | "parallel" | "saga", "input": { "task": "…" },
//     "steps": [{ "name", "agentId" | "role", "requiredTier": "T0"…"T5", "intent", "resource"?, "remember"? }], …options }
// with the options `remember`, `preference`, `escalation`, `queue` and (parallel only) `parallel`. Unknown keys are
// refused so a misspelt field is named instead of ignored; every refusal names its field.
import { z } from 'zod';
import { DEFAULT_BUDGET_CONFIG } from '../../core/budget/budget-allocation.ts';
import { withinTokens } from '../../core/budget/within-tokens.ts';
import { DEFAULT_MEMORY_IMPORTANCE, MEMORY_LAYERS } from '../../core/memory/memory-limits.ts';
import { AGENT_ACTIONS } from '../../core/policy/agent-actions.ts';
import { TIERS, type TierCode } from '../../core/trust/tiers.ts';
import { nestedAtMost, numbersAreExact } from '../json-bounds.ts';
import { defaultStepResource } from './default-step-resource.ts';
import { isProductionStage } from './production-stage.ts';
import {
  describeBounds,
  type OptionBounds,
  WORKFLOW_OPTION_BOUNDS,
  type WorkflowDefaults,
} from './workflow-defaults.ts';
import type {
  StepDefinition,
  StepRemember,
  SubtaskFailurePolicy,
  WorkflowInput,
  WorkflowOptions,
  WorkflowType,
} from './workflow-item.ts';
import { TEMPLATE_NAMES, type TemplateName, templateSteps, workflowTemplate } from './workflow-templates.ts';

export const MAX_WORKFLOW_STEPS = 20;

/** SPEC §7: the request section of an agent call is at most 8K tokens, and the task is that request. */
export const MAX_TASK_TOKENS = DEFAULT_BUDGET_CONFIG.requestMaxTokens;

// An absurdly long task is refused before it is tokenized (the check aborts, see TaskSchema). 8K tokens of
// any natural text stay far below this: it would take 32 characters per token.
const MAX_TASK_CHARACTERS = MAX_TASK_TOKENS * 32;

/** At most this much JSON in the `input` keys besides task, subtasks and failAt, as for an intent's context. */
export const MAX_INPUT_EXTRA_BYTES = 16_384;
// DynamoDB nests attributes at most 32 levels deep; the workflow item wraps the input in one level.
const MAX_INPUT_DEPTH = 16;

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const IDENTIFIER_MESSAGE = 'letters, digits and . _ : - only, starting with a letter or digit';

const TIER_CODES = TIERS.map((tier) => tier.code) as [TierCode, ...TierCode[]];
const WORKFLOW_TYPES = ['sequential', 'parallel', 'saga'] as const satisfies readonly WorkflowType[];
const PREFERENCES = ['cost', 'quality'] as const;
const SUBTASK_FAILURE_POLICIES = ['fail', 'aggregate'] as const;

const FAILURE_INJECTION_DISABLED_MESSAGE = 'failure injection is disabled in production; remove input.failAt';

// zod runs every check of a schema even after one failed, unless it aborts: without `abort` a task of a
// million characters was tokenized anyway, for tens of seconds (found by the fuzz suite, test/integration/fuzz).
const TaskSchema = z
  .string()
  .max(MAX_TASK_CHARACTERS, { message: `must be at most ${MAX_TASK_TOKENS} tokens`, abort: true })
  .refine((task) => task.trim() !== '', { message: 'must not be empty', abort: true })
  .refine((task) => withinTokens(task, MAX_TASK_TOKENS), `must be at most ${MAX_TASK_TOKENS} tokens`);

const StepNameSchema = z.string().min(1).max(64).regex(IDENTIFIER, IDENTIFIER_MESSAGE);

function inputSchema(production: boolean) {
  // `task` is what the agents work on; other keys travel with the workflow for later steps and callers.
  return (
    z
      .looseObject({
        task: TaskSchema,
        subtasks: z
          .array(TaskSchema, { error: 'must be a list of sub-tasks, one string per step' })
          .max(MAX_WORKFLOW_STEPS, `at most ${MAX_WORKFLOW_STEPS} sub-tasks`)
          .optional(),
        failAt: StepNameSchema.refine(() => !production, FAILURE_INJECTION_DISABLED_MESSAGE).optional(),
      })
      // The other keys are stored on the workflow item as they came: bounded like an intent's context, so
      // the item can be written (DynamoDB: 32 levels, exact numbers only, 400 KB). Unbounded, they made the
      // write fail with a 500 (found by the fuzz suite, test/integration/fuzz). Depth first: the others recurse.
      .superRefine(({ task: _task, subtasks: _subtasks, failAt: _failAt, ...extra }, context) => {
        const issue = (message: string) => context.addIssue({ code: 'custom', message, path: [] });
        if (!nestedAtMost(extra, MAX_INPUT_DEPTH))
          return issue(`nested at most ${MAX_INPUT_DEPTH} levels deep`);
        if (Buffer.byteLength(JSON.stringify(extra), 'utf8') > MAX_INPUT_EXTRA_BYTES) {
          issue(`the keys besides task, subtasks and failAt: at most ${MAX_INPUT_EXTRA_BYTES} bytes of JSON`);
        }
        if (!numbersAreExact(extra)) {
          issue('numbers must be within ±2^53 (DynamoDB would not return larger ones exactly)');
        }
      })
  );
}

const ONE_OF_AGENT_OR_ROLE = 'a step names exactly one of agentId (that agent) or role (routed by trust)';

// Remember a step's output as a memory of its agent: `{ "layer": "long-term" | "short-term", "importance": 0..1 }`
// (importance defaults to 0.5), or `false` on a step to opt it out of the workflow's `remember`.
const RememberSchema = z.strictObject({
  layer: z.enum(MEMORY_LAYERS, { error: `must be one of ${MEMORY_LAYERS.join(', ')}` }),
  importance: z
    .number({ error: 'must be a number within [0, 1]' })
    .min(0, 'must be a number within [0, 1]')
    .max(1, 'must be a number within [0, 1]')
    .default(DEFAULT_MEMORY_IMPORTANCE),
});

// `false`, or checked as the workflow's `remember` is, so a refusal names the field inside it
// (`steps.0.remember.layer`) — a plain union would only say that neither alternative matched.
const StepRememberSchema = z
  .unknown()
  .superRefine((value, context) => {
    if (value === false) return;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      context.addIssue({ code: 'custom', message: 'must be { layer, importance? } or false' });
      return;
    }
    const parsed = RememberSchema.safeParse(value);
    for (const issue of parsed.error?.issues ?? []) context.addIssue({ ...issue });
  })
  .transform((value) => {
    if (value === false) return false as const;
    const parsed = RememberSchema.safeParse(value);
    return parsed.success ? parsed.data : z.NEVER;
  });

const StepSchema = z
  .strictObject({
    name: StepNameSchema,
    agentId: z.string().min(1).max(128).regex(IDENTIFIER, IDENTIFIER_MESSAGE).optional(),
    // The pattern demands a first character, so an empty role gets one message, not two.
    role: z.string().max(64).regex(IDENTIFIER, IDENTIFIER_MESSAGE).optional(),
    requiredTier: z.enum(TIER_CODES, { error: `must be one of ${TIER_CODES.join(', ')}` }),
    intent: z.enum(AGENT_ACTIONS, { error: `must be one of ${AGENT_ACTIONS.join(', ')}` }),
    resource: z
      .strictObject({
        id: z.string().min(1).max(256),
        type: z.string().min(1).max(100),
      })
      .optional(),
    remember: StepRememberSchema.optional(),
  })
  .superRefine((step, context) => {
    if ((step.agentId === undefined) === (step.role === undefined)) {
      for (const field of ['agentId', 'role']) {
        context.addIssue({ code: 'custom', message: ONE_OF_AGENT_OR_ROLE, path: [field] });
      }
    }
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

function bounded(bounds: OptionBounds) {
  const message = `must be ${describeBounds(bounds)}`;
  const number = z.number({ error: message }).min(bounds.min, message).max(bounds.max, message);
  return (bounds.integer ? number.int(message) : number).optional();
}

const limits = WORKFLOW_OPTION_BOUNDS;

/** The run's settings a request may choose; what it leaves out comes from the deployment's defaults. */
const OptionsShape = {
  /** Every step's output is remembered so, unless the step says otherwise. */
  remember: RememberSchema.optional(),
  preference: z.enum(PREFERENCES, { error: `must be one of ${PREFERENCES.join(', ')}` }).optional(),
  escalation: z
    .strictObject({
      slaSeconds: bounded(limits.escalationSlaSeconds),
      maxLevel: bounded(limits.escalationMaxLevel),
    })
    .optional(),
  queue: z
    .strictObject({
      maxAttempts: bounded(limits.queueMaxAttempts),
      delaySeconds: bounded(limits.queueDelaySeconds),
      backoffRate: bounded(limits.queueBackoffRate),
      maxDelaySeconds: bounded(limits.queueMaxDelaySeconds),
    })
    .optional(),
  parallel: z
    .strictObject({
      maxConcurrency: bounded(limits.parallelMaxConcurrency),
      onSubtaskFailure: z
        .enum(SUBTASK_FAILURE_POLICIES, { error: `must be one of ${SUBTASK_FAILURE_POLICIES.join(', ')}` })
        .optional(),
    })
    .optional(),
};

function bodySchemas(production: boolean) {
  const input = inputSchema(production);
  const template = z
    .strictObject({
      template: z.enum(TEMPLATE_NAMES, { error: `must be one of ${TEMPLATE_NAMES.join(', ')}` }),
      input,
      ...OptionsShape,
    })
    .superRefine((body, context) => {
      const { type, steps } = workflowTemplate(body.template);
      checkAgainstSteps(body, type, steps, context);
    });
  const explicit = z
    .strictObject({
      type: z.enum(WORKFLOW_TYPES, { error: `must be one of ${WORKFLOW_TYPES.join(', ')}` }),
      input,
      steps: StepsSchema,
      ...OptionsShape,
    })
    .superRefine((body, context) => checkAgainstSteps(body, body.type, body.steps, context));
  return { template, explicit };
}

type BodySchemas = ReturnType<typeof bodySchemas>;
type TemplateBody = z.output<BodySchemas['template']>;
type ExplicitStepsBody = z.output<BodySchemas['explicit']>;
export type StartWorkflowBody = TemplateBody | ExplicitStepsBody;

/**
 * The share of DynamoDB's 400 KB item a parallel workflow's task and sub-tasks may take: the decomposer writes
 * one sub-task per step into the workflow item, and the steps' outputs need the rest.
 */
export const MAX_PARALLEL_TASK_BYTES = 200_000;

/** What the task and the sub-tasks written by the decomposer will take in the workflow item. */
function parallelCopiesBytes(input: { task: string; subtasks?: string[] }, stepCount: number): number {
  const taskBytes = Buffer.byteLength(input.task, 'utf8');
  if (input.subtasks !== undefined) {
    return taskBytes + input.subtasks.reduce((sum, subtask) => sum + Buffer.byteLength(subtask, 'utf8'), 0);
  }
  return taskBytes * (stepCount + 1);
}

/** What only makes sense knowing the workflow's type and steps: `parallel`, `input.subtasks`, `input.failAt`. */
function checkAgainstSteps(
  body: Pick<StartWorkflowBody, 'input' | 'parallel'>,
  type: WorkflowType,
  steps: readonly { name: string }[],
  context: z.RefinementCtx,
): void {
  const issue = (path: string[], message: string) => context.addIssue({ code: 'custom', message, path });
  if (body.parallel !== undefined && type !== 'parallel') {
    issue(['parallel'], `only for parallel workflows; this one is ${type}`);
  }
  const { subtasks, failAt } = body.input;
  if (subtasks !== undefined) {
    if (type !== 'parallel') {
      issue(['input', 'subtasks'], `only for parallel workflows; this one is ${type}`);
    } else if (subtasks.length !== steps.length) {
      issue(
        ['input', 'subtasks'],
        `must have one sub-task per step: ${steps.length} expected, ${subtasks.length} given`,
      );
    }
  }
  if (type === 'parallel' && parallelCopiesBytes(body.input, steps.length) > MAX_PARALLEL_TASK_BYTES) {
    issue(
      subtasks === undefined ? ['input', 'task'] : ['input', 'subtasks'],
      `a parallel workflow stores a sub-task per step (the task itself for each of its ${steps.length} steps ` +
        `unless input.subtasks are given); together they must stay under ${MAX_PARALLEL_TASK_BYTES / 1000} KB ` +
        'of the 400 KB workflow item: shorten the task, give shorter input.subtasks or use fewer steps',
    );
  }
  if (failAt !== undefined && !steps.some((step) => step.name === failAt)) {
    issue(['input', 'failAt'], `must name one of the steps: ${steps.map((step) => step.name).join(', ')}`);
  }
}

// Built once per stage: zod schemas are immutable and building them is not free.
const SCHEMAS = { production: bodySchemas(true), other: bodySchemas(false) };

/**
 * Which schema a body is checked against: a `template` key means the template form. In production
 * (`isProductionStage(stage)`) the schema refuses `input.failAt`.
 */
export function startWorkflowBodySchema(
  body: unknown,
  context: { stage: string | undefined },
): z.ZodType<StartWorkflowBody> {
  const schemas = isProductionStage(context.stage) ? SCHEMAS.production : SCHEMAS.other;
  const isTemplateForm = typeof body === 'object' && body !== null && 'template' in body;
  return isTemplateForm ? schemas.template : schemas.explicit;
}

export interface WorkflowPlan {
  template?: TemplateName;
  type: WorkflowType;
  input: WorkflowInput;
  steps: StepDefinition[];
  options: WorkflowOptions;
}

/** The workflow to run: templates expanded, default resources filled in, every option resolved. */
export function workflowPlan(body: StartWorkflowBody, defaults: WorkflowDefaults): WorkflowPlan {
  if ('template' in body) {
    const template = workflowTemplate(body.template);
    return {
      template: body.template,
      type: template.type,
      input: body.input,
      steps: templateSteps(body.template).map((step) => withRemember(step, body.remember)),
      options: resolvedOptions(body, template.type, defaults, template.onSubtaskFailure),
    };
  }
  return {
    type: body.type,
    input: body.input,
    steps: body.steps.map((step) => ({
      name: step.name,
      ...(step.agentId === undefined ? {} : { agentId: step.agentId }),
      ...(step.role === undefined ? {} : { role: step.role }),
      requiredTier: step.requiredTier,
      intent: step.intent,
      resource: step.resource ?? defaultStepResource(step.name, step.intent),
      ...rememberOf(step.remember, body.remember),
    })),
    options: resolvedOptions(body, body.type, defaults),
  };
}

type RememberOption = z.output<typeof RememberSchema>;

function rememberOf(
  stepRemember: RememberOption | false | undefined,
  workflowRemember: RememberOption | undefined,
): { remember?: StepRemember } {
  if (stepRemember === false) return {};
  const remember = stepRemember ?? workflowRemember;
  return remember === undefined
    ? {}
    : { remember: { layer: remember.layer, importance: remember.importance } };
}

function withRemember(step: StepDefinition, workflowRemember: RememberOption | undefined): StepDefinition {
  return { ...step, ...rememberOf(undefined, workflowRemember) };
}

function resolvedOptions(
  body: StartWorkflowBody,
  type: WorkflowType,
  defaults: WorkflowDefaults,
  templateSubtaskFailure: SubtaskFailurePolicy = 'fail',
): WorkflowOptions {
  const options: WorkflowOptions = {
    preference: body.preference ?? 'cost',
    escalation: {
      slaSeconds: body.escalation?.slaSeconds ?? defaults.escalation.slaSeconds,
      maxLevel: body.escalation?.maxLevel ?? defaults.escalation.maxLevel,
    },
    queue: {
      maxAttempts: body.queue?.maxAttempts ?? defaults.queue.maxAttempts,
      delaySeconds: body.queue?.delaySeconds ?? defaults.queue.delaySeconds,
      backoffRate: body.queue?.backoffRate ?? defaults.queue.backoffRate,
      maxDelaySeconds: body.queue?.maxDelaySeconds ?? defaults.queue.maxDelaySeconds,
    },
  };
  if (type === 'parallel') {
    options.parallel = {
      maxConcurrency: body.parallel?.maxConcurrency ?? defaults.parallelMaxConcurrency,
      onSubtaskFailure: body.parallel?.onSubtaskFailure ?? templateSubtaskFailure,
    };
  }
  return options;
}
