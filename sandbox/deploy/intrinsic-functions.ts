import type { CfnTemplate } from './template-types.ts';

/** Everything intrinsic functions can refer to, from the template, the assembly and the deployment so far. */
export interface ResolutionContext {
  stackName: string;
  region: string;
  accountId: string;
  template: CfnTemplate;
  /** `Ref` of a resource already deployed; throws for one that is not. */
  resourceRef(logicalId: string): string;
  /** `Fn::GetAtt` of a resource already deployed; throws for an attribute that is not emulated. */
  resourceAttribute(logicalId: string, attribute: string): unknown;
  /** `Fn::ImportValue`: an export of a stack of the same assembly deployed before. */
  importValue(exportName: string): unknown;
}

/** `AWS::NoValue`: removes the property (or list element) it stands in. */
const NO_VALUE = Symbol('AWS::NoValue');

export class TemplateResolutionError extends Error {}

/** Resolves every intrinsic function and pseudo parameter in `value`, as CloudFormation would. */
export function resolveIntrinsics(value: unknown, context: ResolutionContext): unknown {
  const resolved = resolve(value, context);
  return resolved === NO_VALUE ? undefined : resolved;
}

function resolve(value: unknown, context: ResolutionContext): unknown {
  if (Array.isArray(value)) {
    return value.map((element) => resolve(element, context)).filter((element) => element !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const [onlyKey, argument] = entries.length === 1 ? entries[0]! : [undefined, undefined];
  if (onlyKey === 'Ref' || onlyKey === 'Condition' || onlyKey?.startsWith('Fn::')) {
    return resolveFunction(onlyKey, argument, context);
  }
  const result: Record<string, unknown> = {};
  for (const [key, element] of entries) {
    const resolvedElement = resolve(element, context);
    if (resolvedElement !== NO_VALUE) result[key] = resolvedElement;
  }
  return result;
}

function resolveFunction(name: string, argument: unknown, context: ResolutionContext): unknown {
  switch (name) {
    case 'Ref':
      return resolveRef(String(argument), context);
    case 'Condition':
      return evaluateCondition(String(argument), context);
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = Array.isArray(argument)
        ? (argument as unknown[]).map((part) => String(resolve(part, context)))
        : splitOnce(String(argument), '.');
      return context.resourceAttribute(logicalId!, attribute!);
    }
    case 'Fn::Join': {
      const [separator, parts] = argument as [string, unknown];
      return asList(resolve(parts, context), name).map(String).join(separator);
    }
    case 'Fn::Sub':
      return substitute(argument, context);
    case 'Fn::Select': {
      const [index, list] = argument as [unknown, unknown];
      const elements = asList(resolve(list, context), name);
      const position = Number(resolve(index, context));
      if (!(position in elements))
        throw new TemplateResolutionError(`Fn::Select index ${position} is out of range`);
      return elements[position];
    }
    case 'Fn::Split': {
      const [delimiter, source] = argument as [string, unknown];
      return String(resolve(source, context)).split(delimiter);
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
      return resolve(evaluateCondition(condition, context) ? whenTrue : whenFalse, context);
    }
    case 'Fn::Equals': {
      const [left, right] = (argument as unknown[]).map((side) => resolve(side, context));
      return JSON.stringify(left) === JSON.stringify(right);
    }
    case 'Fn::And':
      return (argument as unknown[]).every((condition) => resolve(condition, context) === true);
    case 'Fn::Or':
      return (argument as unknown[]).some((condition) => resolve(condition, context) === true);
    case 'Fn::Not':
      return resolve((argument as unknown[])[0], context) !== true;
    case 'Fn::ImportValue':
      return context.importValue(String(resolve(argument, context)));
    case 'Fn::FindInMap': {
      const [map, topKey, secondKey] = (argument as unknown[]).map((part) => String(resolve(part, context)));
      const found = context.template.Mappings?.[map!]?.[topKey!]?.[secondKey!];
      if (found === undefined)
        throw new TemplateResolutionError(`Fn::FindInMap ${map}.${topKey}.${secondKey} not found`);
      return found;
    }
    case 'Fn::GetAZs':
      return ['a', 'b', 'c'].map((zone) => `${context.region}${zone}`);
    case 'Fn::Base64':
      return Buffer.from(String(resolve(argument, context))).toString('base64');
    case 'Fn::ToJsonString':
      return JSON.stringify(resolve(argument, context));
    default:
      throw new TemplateResolutionError(`Intrinsic function ${name} is not supported by the sandbox`);
  }
}

function resolveRef(name: string, context: ResolutionContext): unknown {
  switch (name) {
    case 'AWS::Region':
      return context.region;
    case 'AWS::AccountId':
      return context.accountId;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return context.stackName;
    case 'AWS::StackId':
      return `arn:aws:cloudformation:${context.region}:${context.accountId}:stack/${context.stackName}/00000000-0000-0000-0000-000000000000`;
    case 'AWS::NoValue':
      return NO_VALUE;
    case 'AWS::NotificationARNs':
      return [];
  }
  const parameter = context.template.Parameters?.[name];
  if (parameter) {
    if (parameter.Default === undefined) {
      throw new TemplateResolutionError(
        `Parameter ${name} has no default value and the sandbox takes no parameters`,
      );
    }
    return parameter.Type?.startsWith('List<') || parameter.Type === 'CommaDelimitedList'
      ? String(parameter.Default).split(',')
      : parameter.Default;
  }
  return context.resourceRef(name);
}

function evaluateCondition(name: string, context: ResolutionContext): boolean {
  const definition = context.template.Conditions?.[name];
  if (definition === undefined) throw new TemplateResolutionError(`Condition ${name} is not defined`);
  return resolve(definition, context) === true;
}

/** `Fn::Sub` in both forms: a string, or `[string, { variable: value }]`. `${!x}` is the literal `${x}`. */
function substitute(argument: unknown, context: ResolutionContext): string {
  const [template, variables] = Array.isArray(argument)
    ? [String(argument[0]), (argument[1] ?? {}) as Record<string, unknown>]
    : [String(argument), {}];
  return template.replace(/\$\{([^}]*)\}/g, (_match, expression: string) => {
    if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
    const name = expression.trim();
    if (name in variables) return String(resolve(variables[name], context));
    if (name.includes('.') && !name.startsWith('AWS::')) {
      const [logicalId, attribute] = splitOnce(name, '.');
      return String(context.resourceAttribute(logicalId, attribute));
    }
    return String(resolveRef(name, context));
  });
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + 1)];
}

function asList(value: unknown, functionName: string): unknown[] {
  if (!Array.isArray(value))
    throw new TemplateResolutionError(`${functionName} expects a list, got ${JSON.stringify(value)}`);
  return value;
}

/** Logical ids of the resources `value` refers to through Ref, Fn::GetAtt and Fn::Sub. */
export function referencedLogicalIds(value: unknown, template: CfnTemplate): Set<string> {
  const found = new Set<string>();
  const resources = template.Resources ?? {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, argument] of Object.entries(node as Record<string, unknown>)) {
      if (key === 'Ref' && typeof argument === 'string' && argument in resources) found.add(argument);
      else if (key === 'Fn::GetAtt') {
        const logicalId = Array.isArray(argument) ? argument[0] : String(argument).split('.')[0];
        if (typeof logicalId === 'string' && logicalId in resources) found.add(logicalId);
      } else if (key === 'Fn::Sub') {
        const text = Array.isArray(argument) ? String(argument[0]) : String(argument);
        for (const [, expression] of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
          const logicalId = expression!.split('.')[0]!.trim();
          if (logicalId in resources) found.add(logicalId);
        }
      }
      visit(argument);
    }
  };
  visit(value);
  return found;
}
