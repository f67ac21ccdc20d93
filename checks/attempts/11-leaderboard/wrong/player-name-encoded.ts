// wrong: "A board is one sorted set whose key is `board`, with players as members" → must fail: addPoints returns the new score, kept in a sorted set
// Player names go through encodeURIComponent on the way in and decodeURIComponent on the way out, "to
// keep spaces and accents out of Redis". The functions agree with each other, but the set holds
// "Zo%C3%AB", not "Zoë": anyone reading the board directly is lost, and ties no longer sort by the name.
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
  return cache.zIncrBy(board, points, encodeURIComponent(player));
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
    player: decodeURIComponent(value),
    score,
    rank: i + 1,
  }));
}

export async function rankOf(
  cache: Cache,
  board: string,
  player: string,
): Promise<{ rank: number; score: number } | null> {
  const member = encodeURIComponent(player);
  const [rank, score] = await cache
    .multi()
    .zRevRank(board, member)
    .zScore(board, member)
    .exec();
  if (rank == null || score == null) return null;
  return { rank: Number(rank) + 1, score: Number(score) };
}
