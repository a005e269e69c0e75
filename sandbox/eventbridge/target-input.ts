// What a target receives for a matched event: the whole event, a constant `Input`, the part of the
// event at `InputPath`, or an `InputTransformer`'s template filled from the event.

import type { EventBridgeEvent } from './event.ts';
import { compileJsonPath } from './json-path.ts';

export interface InputTransformer {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}

export interface TargetInputSettings {
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
}

export interface TransformContext {
  event: EventBridgeEvent;
  ruleArn: string;
  ruleName: string;
  ingestionTime: Date;
}

/** The payload delivered to a target, as text. */
export function renderTargetInput(settings: TargetInputSettings, context: TransformContext): string {
  if (settings.Input !== undefined) return settings.Input;
  if (settings.InputPath !== undefined) {
    return JSON.stringify(compileJsonPath(settings.InputPath).evaluate(context.event) ?? null);
  }
  if (settings.InputTransformer !== undefined)
    return applyInputTransformer(settings.InputTransformer, context);
  return JSON.stringify(context.event);
}

/**
 * Fills `<variable>` placeholders with AWS's rules: outside a JSON string a value is inserted as
 * JSON (a string gets its quotes); inside one it is inserted as text, unescaped as AWS does, and an
 * object or array loses its internal quotes so the string stays valid. `<aws.events.event>` (the
 * event without `detail`) and `<aws.events.event.json>` are raw JSON, meant as a field value.
 * A variable whose path is not in the event is left empty inside quotes and `null` outside.
 */
export function applyInputTransformer(transformer: InputTransformer, context: TransformContext): string {
  const variables = new Map<string, unknown>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) {
    variables.set(name, compileJsonPath(path).evaluate(context.event));
  }
  const { detail: _detail, ...eventWithoutDetail } = context.event;
  const predefined = new Map<string, unknown>([
    ['aws.events.rule-arn', context.ruleArn],
    ['aws.events.rule-name', context.ruleName],
    ['aws.events.event.ingestion-time', context.ingestionTime.toISOString()],
  ]);
  const rawJson = new Map<string, string>([
    ['aws.events.event', JSON.stringify(eventWithoutDetail)],
    ['aws.events.event.json', JSON.stringify(context.event)],
  ]);

  const template = transformer.InputTemplate;
  let output = '';
  let insideString = false;
  for (let position = 0; position < template.length; position++) {
    const character = template[position]!;
    if (character === '"' && !isEscaped(template, position)) insideString = !insideString;
    const placeholder = character === '<' ? /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(position)) : null;
    const name = placeholder?.[1];
    if (
      placeholder &&
      name !== undefined &&
      (variables.has(name) || predefined.has(name) || rawJson.has(name))
    ) {
      const raw = rawJson.get(name);
      const value = predefined.has(name) ? predefined.get(name) : variables.get(name);
      output += raw ?? (insideString ? textInsideString(value) : valueOutsideString(value));
      position += placeholder[0].length - 1;
    } else {
      output += character;
    }
  }
  return output;
}

function isEscaped(text: string, position: number): boolean {
  let backslashes = 0;
  for (let index = position - 1; index >= 0 && text[index] === '\\'; index--) backslashes++;
  return backslashes % 2 === 1;
}

function textInsideString(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value).replaceAll('"', '');
  return JSON.stringify(value);
}

function valueOutsideString(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}
