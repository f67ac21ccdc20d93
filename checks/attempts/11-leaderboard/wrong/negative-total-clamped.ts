// wrong: "adds `points` to the player's score (…; points may be negative) and returns the **new** score" → must fail: addPoints returns the new score, kept in a sorted set
// "A score below zero looks broken on a scoreboard", so a total that falls under 0 is written back as 0.
// The points lost below zero are forgotten: -5 then +5 leaves the player at 5, not 0.
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
  const score = await cache.zIncrBy(board, points, player);
  if (score >= 0) return score;
  await cache.zAdd(board, { score: 0, value: player });
  return 0;
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
