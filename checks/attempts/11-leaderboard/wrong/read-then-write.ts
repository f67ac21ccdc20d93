// wrong: "`ZINCRBY` adds and returns the new score in one command, so games that end at the same moment all count" → must fail: addPoints is atomic: games that end at the same moment all count
// Read the score, add in TypeScript, write it back: two games that end
// at the same moment both read the old score, and one of them is lost.
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
  const current = (await cache.zScore(board, player)) ?? 0;
  const next = current + points;
  await cache.zAdd(board, { score: next, value: player });
  return next;
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
