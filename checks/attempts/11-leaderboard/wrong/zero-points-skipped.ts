// wrong: "each call returns the score just after its own points: below 0 too, and 0 points still put a new player on the board, at 0." → must fail: rankOf gives a player's 1-based rank and score
// Adding 0 changes nothing, so addPoints skips the write and answers the current score. A player whose
// first game scored 0 is never put on the board: rankOf says null and top leaves them out.
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
  if (points === 0) return (await cache.zScore(board, player)) ?? 0;
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
  return entries.map(({ value, score }, i) => ({
    player: value,
    score,
    rank: i + 1,
  }));
}

export async function rankOf(
  cache: Cache,
  board: string,
  player: string,
): Promise<{ rank: number; score: number } | null> {
  const [rank, score] = await cache
    .multi()
    .zRevRank(board, player)
    .zScore(board, player)
    .exec();
  if (rank == null || score == null) return null;
  return { rank: Number(rank) + 1, score: Number(score) };
}
