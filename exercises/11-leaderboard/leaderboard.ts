// Exercise 11 — A leaderboard with sorted sets.
// Task: README.md beside this file. Lesson:
// docs/lessons/07-beyond-caching.md (Leaderboards). Check: npm test
// 11
import type { Cache } from '../../lib/stores.ts';

/** One line of the leaderboard: rank 1 is the highest score. */
export interface Standing {
  player: string;
  score: number;
  rank: number;
}

export async function addPoints(
  cache: Cache,
  board: string,
  player: string,
  points: number,
): Promise<number> {
  // TODO: add `points` to the player's score in the sorted set
  // `board` (ZINCRBY); return the new score.
  throw new Error(
    'TODO: addPoints is not written yet (exercise 11)',
  );
}

export async function top(
  cache: Cache,
  board: string,
  n: number,
): Promise<Standing[]> {
  // TODO: the n highest scores, highest first, each with its
  // 1-based rank (ties in ZRANGE … REV order).
  throw new Error('TODO: top is not written yet (exercise 11)');
}

export async function rankOf(
  cache: Cache,
  board: string,
  player: string,
): Promise<{ rank: number; score: number } | null> {
  // TODO: the player's 1-based rank from the top (ZREVRANK) and
  // score; null when not on the board.
  throw new Error('TODO: rankOf is not written yet (exercise 11)');
}
