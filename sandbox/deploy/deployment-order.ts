import { referencedLogicalIds } from './intrinsic-functions.ts';
import type { CfnTemplate } from './template-types.ts';

/**
 * Logical ids in an order where every resource comes after the ones it refers to (Ref, Fn::GetAtt,
 * Fn::Sub) or names in DependsOn, as CloudFormation orders creation (depth first, in template order).
 */
export function deploymentOrder(template: CfnTemplate): string[] {
  const resources = template.Resources ?? {};
  const dependencies = new Map<string, Set<string>>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    const needs = referencedLogicalIds(resource.Properties ?? {}, template);
    const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
    for (const name of dependsOn) {
      if (!(name in resources))
        throw new Error(`${logicalId} DependsOn ${name}, which is not in the template`);
      needs.add(name);
    }
    needs.delete(logicalId);
    dependencies.set(logicalId, needs);
  }
  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (logicalId: string, path: string[]): void => {
    if (state.get(logicalId) === 'done') return;
    if (state.get(logicalId) === 'visiting') {
      throw new Error(`Circular dependency between resources: ${[...path, logicalId].join(' -> ')}`);
    }
    state.set(logicalId, 'visiting');
    for (const dependency of dependencies.get(logicalId) ?? []) visit(dependency, [...path, logicalId]);
    state.set(logicalId, 'done');
    ordered.push(logicalId);
  };
  for (const logicalId of Object.keys(resources)) visit(logicalId, []);
  return ordered;
}
