import { describe, expect, it } from 'vitest';
import { rewriteQueueUrls } from '../../../../sandbox/edge/queue-url-rewrite.ts';

describe('rewriteQueueUrls', () => {
  it("points fauxqs's regional localhost URLs at the edge origin the client used", () => {
    const body = JSON.stringify({
      QueueUrls: [
        'http://sqs.eu-west-1.localhost:39643/000000000000/jobs',
        'http://sqs.us-east-1.localhost/000000000000/other.fifo',
      ],
    });
    expect(JSON.parse(rewriteQueueUrls(body, 'http://127.0.0.1:4566'))).toEqual({
      QueueUrls: ['http://127.0.0.1:4566/000000000000/jobs', 'http://127.0.0.1:4566/000000000000/other.fifo'],
    });
  });

  it('leaves other URLs alone', () => {
    const body = '{"Body":"see http://example.com/000000000000/jobs"}';
    expect(rewriteQueueUrls(body, 'http://127.0.0.1:4566')).toBe(body);
  });
});
