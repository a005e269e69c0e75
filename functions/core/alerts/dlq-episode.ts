// Episodes of a dead-letter queue being non-empty, so that the DLQ monitor (run every minute) raises
// `dlq.not_empty` once per episode rather than once per run:
//
//   queue non-empty, no episode         start one (startedAt = now, messages = the count now) and announce it
//   queue non-empty, episode announced  nothing: the alert is out
//   queue non-empty, episode recorded   announce it (the previous run recorded it but its publish failed)
//     but not announced
//   queue empty, episode recorded       end it; the next message starts a new episode and a new alert
//   queue empty, no episode             nothing
//
// The event of an episode is keyed `<queue>#<startedAt>` and carries the count of its start, so announcing
// again after a failure puts the identical event (same eventId, same data).

export interface DlqEpisode {
  queue: string;
  /** ISO 8601: the run that first saw the queue non-empty. */
  startedAt: string;
  /** ApproximateNumberOfMessages when the episode started. */
  messages: number;
  announced: boolean;
}

export type EpisodeStep =
  | { action: 'none' }
  | { action: 'start'; episode: DlqEpisode }
  | { action: 'announce'; episode: DlqEpisode }
  | { action: 'end'; episode: DlqEpisode };

export function nextEpisodeStep(
  queue: string,
  messages: number,
  current: DlqEpisode | undefined,
  now: number,
): EpisodeStep {
  if (messages <= 0) return current ? { action: 'end', episode: current } : { action: 'none' };
  if (!current) {
    return {
      action: 'start',
      episode: { queue, startedAt: new Date(now).toISOString(), messages, announced: false },
    };
  }
  return current.announced ? { action: 'none' } : { action: 'announce', episode: current };
}

/** The key of the episode's `dlq.not_empty` event (its eventId follows from it). */
export function episodeEventKey(episode: Pick<DlqEpisode, 'queue' | 'startedAt'>): string {
  return `${episode.queue}#${episode.startedAt}`;
}
