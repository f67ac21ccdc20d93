// right: the ascending views read from the end and reversed in JS; rank as ZCARD − ZRANK in one MULTI
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
  return cache.ZINCRBY(board, points, player);
}

export async function top(
  cache: Cache,
  board: string,
  n: number,
): Promise<Standing[]> {
  // -0 is 0: ZRANGE 0 -1 would be the whole board.
  if (n < 1) return [];
  // The last n of the ascending order (score, then name, both rising),
  // turned around, are exactly the first n of the REV order.
  const lowestFirst = await cache.zRangeWithScores(board, -n, -1);
  return lowestFirst.reverse().map(({ value, score }, i) => ({
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
  // One MULTI: the count and the position are of the same board.
  const [size, position, score] = await cache
    .multi()
    .zCard(board)
    .zRank(board, player)
    .zScore(board, player)
    .exec();
  if (position == null || score == null) return null;
  return {
    rank: Number(size) - Number(position),
    score: Number(score),
  };
}
