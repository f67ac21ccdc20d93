// right: a Lua script reads rank and score together; top in a MULTI
import type { Cache } from '../../../../lib/stores.ts';

/** One line of the leaderboard: rank 1 is the highest score. */
export interface Standing {
  player: string;
  score: number;
  rank: number;
}

const RANK_AND_SCORE = `
local rank = redis.call('ZREVRANK', KEYS[1], ARGV[1])
if not rank then return false end
return { rank, redis.call('ZSCORE', KEYS[1], ARGV[1]) }
`;

export async function addPoints(
  cache: Cache,
  board: string,
  player: string,
  points: number,
): Promise<number> {
  const [score] = await cache
    .multi()
    .zIncrBy(board, points, player)
    .exec();
  return Number(score);
}

export async function top(
  cache: Cache,
  board: string,
  n: number,
): Promise<Standing[]> {
  if (n === 0) return [];
  const [entries] = await cache
    .multi()
    .zRangeWithScores(board, 0, n - 1, { REV: true })
    .execTyped();
  return entries.map((entry, index) => ({
    player: entry.value,
    score: Number(entry.score),
    rank: index + 1,
  }));
}

export async function rankOf(
  cache: Cache,
  board: string,
  player: string,
): Promise<{ rank: number; score: number } | null> {
  const reply = await cache.eval(RANK_AND_SCORE, {
    keys: [board],
    arguments: [player],
  });
  if (!Array.isArray(reply)) return null;
  const [rank, score] = reply as [number, string];
  return { rank: Number(rank) + 1, score: Number(score) };
}
