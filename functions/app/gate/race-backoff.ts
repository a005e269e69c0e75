// A short, jittered pause before retrying after a lost optimistic-lock race, growing with the attempt so
// that gates contending for one bucket or one agent stop colliding in lockstep.
const BASE_DELAY_MS = 10;

export function raceBackoff(attempt: number): Promise<void> {
  const delayMs = Math.random() * BASE_DELAY_MS * attempt;
  return new Promise((resolve) => setTimeout(resolve, delayMs));
}
