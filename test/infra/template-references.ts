// Renders the CloudFormation references of the stateless stack into readable strings, following its
// imports into the stateful stack, so permissions and environments can be compared as plain data:
// `{ "Fn::ImportValue": "...ExportsOutputFnGetAttAgentsTable...Arn..." }` becomes `AgentsTable78E0948F.Arn`.
import type { Template } from 'aws-cdk-lib/assertions';

type CfnValue = string | number | boolean | null | CfnValue[] | { [key: string]: CfnValue };

export function renderReference(value: CfnValue, exportingTemplate: Template): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`not a reference: ${JSON.stringify(value)}`);
  if ('Ref' in value) return String(value.Ref);
  if ('Fn::GetAtt' in value) return (value['Fn::GetAtt'] as string[]).join('.');
  if ('Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'] as [string, CfnValue[]];
    return parts.map((part) => renderReference(part, exportingTemplate)).join(separator);
  }
  if ('Fn::ImportValue' in value) {
    const exportName = value['Fn::ImportValue'];
    const outputs = Object.values(
      exportingTemplate.toJSON().Outputs as Record<string, Record<string, CfnValue>>,
    );
    const exported = outputs.find(
      (output) => (output.Export as { Name?: string } | undefined)?.Name === exportName,
    );
    if (!exported) throw new Error(`no export named ${String(exportName)}`);
    return renderReference(exported.Value as CfnValue, exportingTemplate);
  }
  throw new Error(`unsupported intrinsic: ${JSON.stringify(value)}`);
}

/** Every action a role may perform, by rendered resource: `{ 'AgentsTable1234.Arn': ['dynamodb:GetItem', …] }`. */
export function permissionsOfRole(
  template: Template,
  roleLogicalId: string,
  exportingTemplate: Template,
): Record<string, string[]> {
  const permissions: Record<string, Set<string>> = {};
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as CfnValue[]).some(
      (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId }),
    ),
  );
  for (const policy of policies) {
    for (const statement of policy.Properties.PolicyDocument.Statement as Record<string, CfnValue>[]) {
      if (statement.Effect !== 'Allow') throw new Error('only Allow statements are expected');
      const actions = [statement.Action].flat() as string[];
      for (const resource of [statement.Resource].flat() as CfnValue[]) {
        const rendered = renderReference(resource, exportingTemplate);
        permissions[rendered] ??= new Set();
        for (const action of actions) permissions[rendered].add(action);
      }
    }
  }
  return Object.fromEntries(
    Object.entries(permissions).map(([resource, actions]) => [resource, [...actions].sort()]),
  );
}
