// wrong: "`addPoints(cache, board, player, points)` adds `points` to the player's score" → must fail: addPoints returns the new score, kept in a sorted set
// ZADD sets the score: the second game replaces the first instead of
// adding to it.
import type { Cache } from '../../../../lib/stores.ts';

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
  await cache.zAdd(board, { score: points, value: player });
  return points;
}

export async function top(
  cache: Cache,
  board: string,
  n: number,
): Promise<Standing[]> {
  if (n <= 0) return [];
  const entries = await cache.zRangeWithScores(board, 0, n - 1, {
    REV: true,
  });
  return entries.map((entry, i) => ({
    player: entry.value,
    score: entry.score,
    rank: i + 1,
  }));
}

export async function rankOf(
  cache: Cache,
  board: string,
  player: string,
): Promise<{ rank: number; score: number } | null> {
  const rank = await cache.zRevRank(board, player);
  const score = await cache.zScore(board, player);
  if (rank === null || score === null) return null;
  return { rank: rank + 1, score };
}
