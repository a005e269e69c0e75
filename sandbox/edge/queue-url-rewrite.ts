import { SANDBOX_ACCOUNT_ID } from '../contracts.ts';

/**
 * fauxqs mints queue URLs in AWS's regional form on a `localhost` domain
 * (`http://sqs.<region>.localhost:<port>/<account>/<name>`), a host name that does not resolve everywhere.
 * Clients must keep talking to the edge, so those URLs are rewritten to the origin the client used (its
 * Host header). fauxqs finds a queue by the URL's last path segment when the host carries no region, so
 * the rewritten URL still resolves when it comes back in a request.
 */
const FAUXQS_QUEUE_ORIGIN = new RegExp(
  `https?://sqs\\.[A-Za-z0-9-]+\\.localhost(?::\\d+)?(?=/${SANDBOX_ACCOUNT_ID}/)`,
  'g',
);

export function rewriteQueueUrls(responseBody: string, edgeOrigin: string): string {
  return responseBody.replace(FAUXQS_QUEUE_ORIGIN, edgeOrigin);
}
