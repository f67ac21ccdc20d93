// right: ZSCORE first, then ZREVRANK, both inside one MULTI; top through zRange and ZMSCORE
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
  const newScore = await cache.ZINCRBY(board, points, player);
  return newScore;
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
  const replies = await cache
    .multi()
    .zScore(board, player)
    .zRevRank(board, player)
    .exec();
  const score = replies[0];
  const rank = replies[1];
  if (score == null || rank == null) return null;
  return { rank: Number(rank) + 1, score: Number(score) };
}
