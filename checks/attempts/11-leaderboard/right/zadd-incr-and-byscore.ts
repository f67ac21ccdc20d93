// right: ZADD … INCR, ZRANGE BYSCORE REV with a LIMIT, rank and score in one MULTI
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
  const score = await cache.zAddIncr(board, {
    score: points,
    value: player,
  });
  if (score === null) throw new Error('ZADD INCR added nothing');
  return score;
}

export async function top(
  cache: Cache,
  board: string,
  n: number,
): Promise<Standing[]> {
  if (!Number.isInteger(n) || n <= 0) return [];
  const entries = await cache.zRangeWithScores(
    board,
    '+inf',
    '-inf',
    { BY: 'SCORE', REV: true, LIMIT: { offset: 0, count: n } },
  );
  let rank = 0;
  return entries.map(({ value, score }) => ({
    player: value,
    score,
    rank: ++rank,
  }));
}

export async function rankOf(
  cache: Cache,
  board: string,
  player: string,
): Promise<{ rank: number; score: number } | null> {
  // One MULTI: the position and the score are of the same moment.
  const [position, score] = await cache
    .multi()
    .zRevRank(board, player)
    .zScore(board, player)
    .exec();
  if (position === null || score === null) return null;
  return { rank: Number(position) + 1, score: Number(score) };
}
