import { describe, expect, it } from 'vitest';
import {
  type DlqEpisode,
  episodeEventKey,
  nextEpisodeStep,
} from '../../../functions/core/alerts/dlq-episode.ts';

const now = Date.parse('2026-12-05T10:00:00.000Z');
const episode: DlqEpisode = {
  queue: 'analytics',
  startedAt: '2026-12-05T09:58:00.000Z',
  messages: 2,
  announced: true,
};

describe('DLQ episodes', () => {
  it('starts an episode (to be announced) when a queue is found non-empty with none open', () => {
    expect(nextEpisodeStep('analytics', 4, undefined, now)).toEqual({
      action: 'start',
      episode: { queue: 'analytics', startedAt: '2026-12-05T10:00:00.000Z', messages: 4, announced: false },
    });
  });

  it('stays silent while an announced episode lasts, whatever the count does', () => {
    expect(nextEpisodeStep('analytics', 9, episode, now)).toEqual({ action: 'none' });
  });

  it('announces again an episode recorded by a run whose publish failed', () => {
    const unannounced = { ...episode, announced: false };
    expect(nextEpisodeStep('analytics', 1, unannounced, now)).toEqual({
      action: 'announce',
      episode: unannounced,
    });
  });

  it('ends the episode when the queue drains, and does nothing for an empty queue without one', () => {
    expect(nextEpisodeStep('analytics', 0, episode, now)).toEqual({ action: 'end', episode });
    expect(nextEpisodeStep('analytics', 0, undefined, now)).toEqual({ action: 'none' });
  });

  it('keys the episode event by queue and start, so a re-announcement is the same event', () => {
    expect(episodeEventKey(episode)).toBe('analytics#2026-12-05T09:58:00.000Z');
  });
});
