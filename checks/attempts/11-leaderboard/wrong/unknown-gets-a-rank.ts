// wrong: "**Unknown is `null`,** never a made-up rank such as 0 or -1." → must fail: rankOf returns null for a player who is not on the board
// A player nobody knows comes back as { rank: 0, score: 0 }.
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
  const rank = (await cache.zRevRank(board, player)) ?? -1;
  const score = (await cache.zScore(board, player)) ?? 0;
  return { rank: rank + 1, score };
}
