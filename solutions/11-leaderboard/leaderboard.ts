// Exercise 11 — A leaderboard with sorted sets. Reference solution.
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
  // Atomic in Redis: two games finishing at once both count, and we
  // get the score after ours.
  return cache.zIncrBy(board, points, player);
}

export async function top(
  cache: Cache,
  board: string,
  n: number,
): Promise<Standing[]> {
  // ZRANGE 0 -1 would mean "everyone", so an empty request is
  // answered here.
  if (n <= 0) return [];
  const entries = await cache.zRangeWithScores(board, 0, n - 1, {
    REV: true,
  });
  // Redis counts positions from 0; people count places from 1.
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
  // One transaction, so the rank and the score describe the same
  // moment of the board: both null, or neither.
  const [rank, score] = await cache
    .multi()
    .zRevRank(board, player)
    .zScore(board, player)
    .exec();
  if (rank === null) return null;
  return { rank: Number(rank) + 1, score: Number(score) };
}
