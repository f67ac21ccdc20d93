// wrong: "`top(cache, board, n)` returns the `n` highest scores as `{ player, score, rank }[]`, highest first." → must fail: top lists the highest scores first, ranked from 1
// The order and the scores are read in two round trips: ZRANGE … REV for the names, then ZMSCORE for
// their scores. A game that ends between the two changes a score after the order was taken: top returns
// a list that is not highest first, or misses the player who just overtook the last one shown.
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
  const players = await cache.zRange(board, 0, n - 1, {
    REV: true,
  });
  if (players.length === 0) return [];
  const scores = await cache.zmScore(board, players);
  return players.map((player, i) => ({
    player,
    score: Number(scores[i]),
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
