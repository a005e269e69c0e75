// A setting the deployment must give a function (docs/backend.md "Environment"): a missing one is a
// deployment bug, reported at cold start with the variable's name rather than as a confusing failure later.
export function requiredEnvironment(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
