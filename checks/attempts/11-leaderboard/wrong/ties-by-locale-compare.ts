// wrong: "Players with equal scores stand in the order `ZRANGE … REV` gives them: by name, compared byte by byte (lexicographically), reversed" → must fail: orders ties the same way every time, and top and rankOf agree
// top sorts its page again "to be sure": score descending, then names with localeCompare, reversed.
// For lower-case ASCII names that is Redis's order; for "Bob" and "ada", or "Émile" and "zoe", it is
// not (localeCompare ignores case first and knows accents; Redis compares bytes), and rankOf disagrees.
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
  entries.sort(
    (a, b) => b.score - a.score || b.value.localeCompare(a.value),
  );
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
