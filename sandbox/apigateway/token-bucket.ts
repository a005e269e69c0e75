// API Gateway's throttle: a bucket of `burstLimit` tokens refilled at `rateLimit` per second.

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly rateLimit: number,
    private readonly burstLimit: number,
    now: number = performance.now(),
  ) {
    this.tokens = burstLimit;
    this.refilledAt = now;
  }

  /** Takes one token; false means the request is throttled. */
  tryTake(now: number = performance.now()): boolean {
    this.tokens = Math.min(this.burstLimit, this.tokens + ((now - this.refilledAt) / 1000) * this.rateLimit);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
