/**
 * A pattern EventBridge would refuse with `InvalidEventPatternException`. The message follows AWS's
 * "Event pattern is not valid. Reason: ..." form and names where in the pattern the problem is.
 */
export class InvalidEventPatternError extends Error {
  constructor(
    readonly reason: string,
    readonly location: string,
  ) {
    super(`Event pattern is not valid. Reason: ${reason}${location ? ` at ${location}` : ''}`);
    this.name = 'InvalidEventPatternError';
  }
}
