/** When a scheduled rule fires next. */
export interface Schedule {
  /** The first fire time strictly after `after`, or undefined when the schedule never fires again. */
  nextFireAfter(after: Date): Date | undefined;
}
