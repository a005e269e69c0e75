// The wording of the errors many routes share, from where each is raised: request-body.ts and
// validate-input.ts (400), query-parameters.ts (unknown parameters refused), request-caller.ts (403),
// http-router.ts (a forged or foreign page token).

/** A route that reads a JSON body. */
export const BAD_BODY =
  '`missing_body` (no body), `invalid_json`, or `validation_failed` with one detail per field at fault, ' +
  'named by its dotted path (`steps.0.name`).';

/** A route whose body may be left out: no body is a request, so only a bad one is refused. */
export const BAD_OPTIONAL_BODY =
  '`invalid_json`, or `validation_failed` with one detail per field at fault, named by its dotted path.';

/** A route that reads path or query parameters only. */
export const BAD_PARAMETERS =
  '`validation_failed` naming each parameter at fault as `pathParameters.<name>` or ' +
  '`queryStringParameters.<name>`; an unknown query parameter is refused too, never ignored.';

/** A paged list: its token is checked too. */
export const BAD_PAGE =
  `${BAD_PARAMETERS} A \`nextToken\` that is forged, or was issued for another tenant or other filters, ` +
  'is refused naming `queryStringParameters.nextToken`.';

/** Both a body and parameters. */
export const BAD_BODY_OR_PARAMETERS = `${BAD_BODY} A bad path parameter: \`validation_failed\` naming \`pathParameters.<name>\`.`;

export function lacksRole(role: string): string {
  return `\`forbidden\`: the key does not have the ${role} role.`;
}

export const NOT_PLATFORM_ADMIN = '`forbidden`: the key is not an admin key of the `platform` tenant.';
