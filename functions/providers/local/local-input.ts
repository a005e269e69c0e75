// How the local provider reads a completion request: the last user message is the task; the assistant
// messages before it are prior context (the previous steps' outputs, as the gate sends them: each an
// assistant turn after a short user turn naming its step). A caller that sends earlier material as user
// turns only gets those as prior context instead. With no prior context, the composers that work on
// context (analysis, review) fall back to the task itself.
import type { CompletionRequest } from '../provider.ts';
import { stableHash } from './stable-hash.ts';

export interface LocalInput {
  task: string;
  priorContext: string[];
  agentRole: string;
  action: string;
  /** Hash of the whole request: the seed of every phrasing choice, so equal requests read the same. */
  seed: number;
}

export function readLocalInput(request: CompletionRequest): LocalInput {
  const lastUser = request.messages.findLastIndex((message) => message.role === 'user');
  const task = lastUser === -1 ? '' : request.messages[lastUser]!.content.trim();
  const earlier = request.messages.filter((_, index) => index !== lastUser);
  const outputs = earlier.filter((message) => message.role === 'assistant');
  const priorContext = (outputs.length > 0 ? outputs : earlier)
    .map((message) => message.content.trim())
    .filter((content) => content !== '');
  return {
    task,
    priorContext,
    agentRole: request.agentRole,
    action: request.action,
    seed: stableHash(JSON.stringify([request.system, request.messages, request.agentRole, request.action])),
  };
}

/** The texts a context-driven composer works on: the prior context, or the task when there is none. */
export function workingTexts(input: LocalInput): string[] {
  return input.priorContext.length > 0 ? input.priorContext : [input.task];
}
