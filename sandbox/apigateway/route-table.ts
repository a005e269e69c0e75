// HTTP API route selection: the most specific path wins (literal segment over `{param}` over
// `{proxy+}`, compared segment by segment), then a method-specific route over `ANY`, then `$default`.
import type { HttpApiRouteSpec } from '../contracts.ts';

export interface MatchedRoute {
  route: HttpApiRouteSpec;
  /** The route's path (`/pets/{id}`), or `$default`. */
  resourcePath: string;
  /** Undefined when the route has no path variables, as API Gateway omits the field then. */
  pathParameters: Record<string, string> | undefined;
}

type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

interface CompiledRoute {
  route: HttpApiRouteSpec;
  method: string;
  resourcePath: string;
  segments: Segment[];
}

/** Ranks used when sorting: lower is more specific. */
const SEGMENT_RANK = { literal: 0, param: 1, greedy: 2 } as const;

export class RouteTable {
  private readonly routes: CompiledRoute[];
  private readonly defaultRoute: HttpApiRouteSpec | undefined;

  constructor(routes: readonly HttpApiRouteSpec[]) {
    this.defaultRoute = routes.find((route) => route.routeKey === '$default');
    this.routes = routes
      .filter((route) => route.routeKey !== '$default')
      .map(compile)
      .sort(bySpecificity);
  }

  match(method: string, path: string): MatchedRoute | undefined {
    const requestSegments = splitPath(path);
    for (const compiled of this.routes) {
      if (compiled.method !== 'ANY' && compiled.method !== method) continue;
      const pathParameters = matchSegments(compiled.segments, requestSegments);
      if (pathParameters !== undefined) {
        return {
          route: compiled.route,
          resourcePath: compiled.resourcePath,
          pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined,
        };
      }
    }
    return (
      this.defaultRoute && { route: this.defaultRoute, resourcePath: '$default', pathParameters: undefined }
    );
  }
}

function compile(route: HttpApiRouteSpec): CompiledRoute {
  const separator = route.routeKey.indexOf(' ');
  if (separator < 0) throw new Error(`Invalid HTTP API route key: ${route.routeKey}`);
  const method = route.routeKey.slice(0, separator).toUpperCase();
  const resourcePath = route.routeKey.slice(separator + 1);
  const segments = splitPath(resourcePath).map((segment): Segment => {
    const variable = /^\{([^}+]+)(\+?)\}$/.exec(segment);
    if (!variable) return { kind: 'literal', value: segment };
    return variable[2] === '+'
      ? { kind: 'greedy', name: variable[1]! }
      : { kind: 'param', name: variable[1]! };
  });
  return { route, method, resourcePath, segments };
}

function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let index = 0; index < length; index++) {
    const left = a.segments[index];
    const right = b.segments[index];
    // A route that ends here is a different path length, not a less specific one: keep comparing kinds.
    if (left === undefined || right === undefined) break;
    const difference = SEGMENT_RANK[left.kind] - SEGMENT_RANK[right.kind];
    if (difference !== 0) return difference;
  }
  if (a.segments.length !== b.segments.length) return b.segments.length - a.segments.length;
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}

function matchSegments(
  segments: readonly Segment[],
  request: readonly string[],
): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    if (segment.kind === 'greedy') {
      // `{proxy+}` takes one or more remaining segments.
      if (index >= request.length) return undefined;
      parameters[segment.name] = request.slice(index).map(decodeSegment).join('/');
      return parameters;
    }
    const value = request[index];
    if (value === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (segment.value !== value) return undefined;
    } else {
      parameters[segment.name] = decodeSegment(value);
    }
  }
  return segments.length === request.length ? parameters : undefined;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
