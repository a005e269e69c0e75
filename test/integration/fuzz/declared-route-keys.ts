// The route keys the infra routes to each API function, read from where it declares them: the
// `api.addLambdaRoutes('<Id>', <fn>.function, [ …route keys… ])` calls of infra/stacks/stateless-stack.ts,
// with each function's `entry` ('api/agents' → functions/api/agents.handler.ts). Read as text, so the fuzz
// suite needs neither a build nor a synth; a layout this no longer understands fails loudly, never as an
// empty list.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const STACK_SOURCE = fileURLToPath(new URL('../../../infra/stacks/stateless-stack.ts', import.meta.url));

/** Route keys by handler entry name (`agents`, `api-keys`, …), for the authorizer-protected routes only. */
export function declaredRouteKeys(source = readFileSync(STACK_SOURCE, 'utf8')): Record<string, string[]> {
  // `const agentsApi = new TrustgateFunction(this, 'AgentsApi', { entry: 'api/agents', …` and
  // `const eventsApi = apiFunction('EventsApi', 'api/events', …`
  const entries = new Map<string, string>();
  const functionPattern =
    /const (\w+) = (?:new TrustgateFunction\(\s*this,\s*'\w+',\s*\{\s*entry:|apiFunction\(\s*'\w+',)\s*'api\/([\w-]+)'/g;
  for (const [, variable, entry] of source.matchAll(functionPattern)) entries.set(variable!, entry!);

  const routes: Record<string, string[]> = {};
  const routesPattern = /\.addLambdaRoutes\(\s*'\w+',\s*(\w+)\.function,\s*\[([^\]]*)\]/g;
  for (const [, variable, list] of source.matchAll(routesPattern)) {
    const entry = entries.get(variable!);
    if (entry === undefined)
      throw new Error(`no API function entry found for ${variable} in ${STACK_SOURCE}`);
    const keys = [...list!.matchAll(/'([A-Z]+ \/[^']*)'/g)].map(([, key]) => key!);
    routes[entry] = [...(routes[entry] ?? []), ...keys];
  }
  if (Object.keys(routes).length === 0) throw new Error(`no addLambdaRoutes call found in ${STACK_SOURCE}`);
  return routes;
}
