import { AwsServiceError } from '../contracts.ts';

export interface EdgeResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * An error as AWS JSON protocols send it: the code in both `__type` and `x-amzn-ErrorType` (SDK v3
 * reads either), the status code chosen by the service.
 */
export function jsonErrorResponse(error: unknown, contentType: string): EdgeResponse {
  const serviceError =
    error instanceof AwsServiceError
      ? error
      : new AwsServiceError('InternalFailure', error instanceof Error ? error.message : String(error), 500);
  return {
    statusCode: serviceError.statusCode,
    headers: { 'content-type': contentType, 'x-amzn-errortype': serviceError.code },
    body: JSON.stringify({ __type: serviceError.code, message: serviceError.message }),
  };
}

/** An error as the query protocol (XML) sends it, for clients that speak SQS's legacy protocol. */
export function queryErrorResponse(code: string, message: string, statusCode = 400): EdgeResponse {
  const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    statusCode,
    headers: { 'content-type': 'text/xml' },
    body: `<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${escaped}</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>`,
  };
}
