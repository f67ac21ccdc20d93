// wrong: "`rankOf(cache, board, player)` returns `{ rank, score }` for a player on the board" → must fail: rankOf gives a player's 1-based rank and score
// "No score, no player": but a player whose penalties brought them back
// to 0 is on the board, and 0 is falsy.
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
  return cache.zIncrBy(board, points, player);
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
  const score = await cache.zScore(board, player);
  if (!score) return null;
  const rank = await cache.zRevRank(board, player);
  if (rank === null) return null;
  return { rank: rank + 1, score };
}
