// wrong: "**Ranks count from 1.** Redis counts positions from 0, people count places from 1: the leader has rank 1." → must fail: top lists the highest scores first, ranked from 1
// The positions Redis gives are used as they are: the leader is 0th.
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
  return entries.map((entry, rank) => ({
    player: entry.value,
    score: entry.score,
    rank,
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
  return { rank, score };
}
