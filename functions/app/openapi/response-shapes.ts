// The answers' schemas. The routes build their answers from TypeScript views (agent-view.ts,
// workflow-view.ts, …), not from zod schemas, so there is nothing to convert: an answer is documented as
// an object with its description (which view it is, where its fields are explained), and only what every
// answer of its kind shares is spelt out — the page envelope of the paged lists, the few fields of the
// small answers whose route builds them in place. Nothing here is checked against the views; keep it to
// what the route's own code states.
import type { JsonSchema } from './json-schema.ts';

/** An object answer: what it is, in words. */
export function describedObject(description: string): JsonSchema {
  return { type: 'object', description };
}

/** An object answer whose fields are all given (the small answers built in the route itself). */
export function objectOf(description: string, properties: Readonly<Record<string, JsonSchema>>): JsonSchema {
  return {
    type: 'object',
    description,
    properties,
    required: Object.keys(properties),
  };
}

/**
 * One page of a paged list: `{ items, nextToken }`, `nextToken` null on the last page. Pass it back as the
 * `nextToken` query parameter, with the same filters, for the next page.
 */
export function pageOf(itemDescription: string): JsonSchema {
  return objectOf('One page of the list, oldest or newest first as the route says.', {
    items: { type: 'array', items: describedObject(itemDescription) },
    nextToken: {
      type: ['string', 'null'],
      description: 'The next page’s token (as the `nextToken` query parameter); null on the last page.',
    },
  });
}
