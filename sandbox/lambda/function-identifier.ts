// Lambda's `FunctionName` parameter: a name, a partial ARN (`123456789012:function:name`) or a full
// ARN, each optionally followed by `:qualifier`.

export interface FunctionIdentifier {
  name: string;
  qualifier?: string;
  /** Account and region when the caller gave them, which must then match the function's ARN. */
  account?: string;
  region?: string;
}

export function parseFunctionIdentifier(identifier: string): FunctionIdentifier {
  const parts = identifier.split(':');
  if (parts[0] === 'arn' && parts.length >= 7 && parts[5] === 'function') {
    return withQualifier({ name: parts[6]!, region: parts[3], account: parts[4] }, parts[7]);
  }
  if (parts.length >= 3 && parts[1] === 'function') {
    return withQualifier({ name: parts[2]!, account: parts[0] }, parts[3]);
  }
  return withQualifier({ name: parts[0]! }, parts[1]);
}

function withQualifier(identifier: FunctionIdentifier, qualifier: string | undefined): FunctionIdentifier {
  return qualifier === undefined ? identifier : { ...identifier, qualifier };
}
