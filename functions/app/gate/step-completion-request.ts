// The completion request of one allowed step: its context assembled within the token budget (SPEC §7).
//
// Sections: a system prompt naming the agent, the step and its action; the memories the agent recalled for
// the step (step-memory.ts), ranked; the task as the request; the outputs of the steps before it as
// previous outputs. A step
// of a parallel workflow is one sub-task among its siblings, not a link in a chain: its request is its own
// sub-task (the decomposer's `subtask`, else the whole task) and it has no previous outputs, since the
// other sub-tasks run beside it and their outputs do not exist yet. The
// response reserve is at least the decision's `limits.maxTokens`, so the context never eats the room the
// agent is allowed to answer in, and that limit is the completion's maxTokens.
//
// Messages alternate user/assistant and end with the task, as Bedrock's Converse API demands: each
// previous output is an assistant turn introduced by a short user turn naming its step. When the budget
// forced the previous outputs to be summarized, pruned or compressed, the fitted section is one assistant
// turn instead, since it no longer splits back into steps. The memory section follows the system prompt in
// the request's `system` (providers/memory-block.ts); the block's header comes out of the memory share.

import { allocateBudget, MIN_RESPONSE_RESERVE_TOKENS } from '../../core/budget/budget-allocation.ts';
import {
  type AssembledContext,
  assembleContext,
  type MemoryItem,
  type PreviousOutput,
} from '../../core/budget/context-assembly.ts';
import type { Summarizer } from '../../core/budget/summarizer.ts';
import { countTokens } from '../../core/budget/tokenizer.ts';
import type { ExecutionLimits } from '../../core/policy/execution-limits.ts';
import { MEMORY_BLOCK_FRAME, withMemoryBlock } from '../../providers/memory-block.ts';
import type { CompletionMessage, CompletionRequest } from '../../providers/provider.ts';
import type { StepState, WorkflowItem } from '../workflows/workflow-item.ts';

export interface StepAgent {
  agentId: string;
  name: string;
  role: string;
}

export interface StepCompletion {
  request: CompletionRequest;
  context: AssembledContext;
}

export async function stepCompletionRequest(
  workflow: WorkflowItem,
  stepIndex: number,
  agent: StepAgent,
  limits: ExecutionLimits,
  summarizer: Summarizer,
  memory: readonly MemoryItem[] = [],
): Promise<StepCompletion> {
  const parallel = workflow.type === 'parallel';
  const previous = parallel ? [] : previousOutputs(workflow.steps.slice(0, stepIndex));
  const labels = new Map(previous.map((output) => [output.id, previousOutputLabel(workflow, output.id)]));
  const allocation = allocateBudget({
    responseReserveTokens: Math.max(MIN_RESPONSE_RESERVE_TOKENS, limits.maxTokens),
  });
  // The user turns that introduce the previous outputs travel outside the assembled sections; their
  // tokens (every step's label and the condensed one, whichever ends up used) come out of the previous
  // outputs' share, so the whole request still fits the total.
  const labelTokens = [...labels.values(), CONDENSED_LABEL].reduce(
    (sum, label) => sum + countTokens(label),
    0,
  );
  const context = await assembleContext(
    {
      systemPrompt: systemPrompt(workflow, stepIndex, agent, limits),
      memory,
      request: stepRequestText(workflow, stepIndex),
      previousOutputs: previous,
    },
    {
      ...allocation,
      memory: Math.max(0, allocation.memory - MEMORY_BLOCK_FRAME_TOKENS),
      available: Math.max(0, allocation.available - labelTokens),
    },
    { summarizer },
  );
  const fitted = context.actions.some((action) => action.section === 'previousOutputs');
  const turns: [string, string][] = fitted
    ? [[CONDENSED_LABEL, context.previousOutputs.text]]
    : previous.map((output) => [labels.get(output.id)!, output.text]);
  const messages: CompletionMessage[] = [
    ...turns.flatMap(([label, text]): CompletionMessage[] => [
      { role: 'user', content: label },
      { role: 'assistant', content: text },
    ]),
    { role: 'user', content: context.request.text },
  ];
  return {
    request: {
      system: withMemoryBlock(context.systemPrompt.text, context.memory.text),
      messages,
      maxTokens: limits.maxTokens,
      agentRole: agent.role,
      action: workflow.steps[stepIndex]!.intent,
    },
    context,
  };
}

/** What the step asks its agent: its sub-task in a parallel workflow (else the whole task), the task otherwise. */
export function stepRequestText(workflow: WorkflowItem, stepIndex: number): string {
  const step = workflow.steps[stepIndex]!;
  return workflow.type === 'parallel' ? (step.subtask ?? workflow.input.task) : workflow.input.task;
}

/** Counted once: the tokenizer is not free, and the frame never changes. */
const MEMORY_BLOCK_FRAME_TOKENS = countTokens(MEMORY_BLOCK_FRAME);

const CONDENSED_LABEL = 'The outputs of the earlier steps, condensed to fit the token budget:';

function previousOutputs(steps: readonly StepState[]): PreviousOutput[] {
  return steps
    .filter((step) => step.status === 'SUCCEEDED' && step.output !== undefined)
    .map((step) => ({
      id: step.name,
      text: step.output!,
      createdAt: step.completedAt === undefined ? 0 : Date.parse(step.completedAt),
    }));
}

function previousOutputLabel(workflow: WorkflowItem, stepName: string): string {
  const index = workflow.steps.findIndex((step) => step.name === stepName);
  const step = workflow.steps[index]!;
  return `The output of step ${index + 1}, "${step.name}" (agent ${step.agentId}):`;
}

function systemPrompt(
  workflow: WorkflowItem,
  stepIndex: number,
  agent: StepAgent,
  limits: ExecutionLimits,
): string {
  const step = workflow.steps[stepIndex]!;
  const action = `perform the action ${step.intent} on the ${step.resource.type} "${step.resource.id}"`;
  const position =
    workflow.type === 'parallel'
      ? [
          `This is sub-task ${stepIndex + 1} of ${workflow.steps.length} of a parallel workflow, "${step.name}": ` +
            `${action} for the sub-task the user gives.`,
          'The other sub-tasks run at the same time and are combined afterwards; answer only yours.',
        ]
      : [
          `This is step ${stepIndex + 1} of ${workflow.steps.length}, "${step.name}": ${action} for the task the user gives.`,
          'Build on the outputs of the earlier steps when there are any; do not repeat them verbatim.',
        ];
  return [
    `You are ${agent.name} (${agent.agentId}), the ${agent.role} agent of a trust-gated workflow.`,
    ...position,
    `Answer in at most ${limits.maxTokens} tokens.`,
  ].join('\n');
}
