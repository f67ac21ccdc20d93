// wrong: "Players with equal scores stand in the order `ZRANGE … REV` gives them: by name, reversed" → must fail: orders ties the same way every time, and top and rankOf agree
// top() re-sorts ties alphabetically "to be fair": ada before bob, so
// top and rankOf (ZREVRANK) disagree on who is second.
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
  const sorted = [...entries].sort(
    (a, b) => b.score - a.score || a.value.localeCompare(b.value),
  );
  return sorted.map((entry, i) => ({
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
