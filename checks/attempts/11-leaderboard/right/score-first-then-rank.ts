// right: ZSCORE first, then ZREVRANK, both inside one MULTI; top as ZRANGE and ZMSCORE inside one Lua script
import type { Cache } from '../../../../lib/stores.ts';

/** One line of the leaderboard: rank 1 is the highest score. */
export interface Standing {
  player: string;
  score: number;
  rank: number;
}

const TOP_WITH_SCORES = `
local players = redis.call('ZRANGE', KEYS[1], 0, ARGV[1], 'REV')
if #players == 0 then return { {}, {} } end
return { players, redis.call('ZMSCORE', KEYS[1], unpack(players)) }
`;

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
  // The order and the scores must be of one moment: a script reads
  // both, as one step.
  const reply = await cache.eval(TOP_WITH_SCORES, {
    keys: [board],
    arguments: [String(n - 1)],
  });
  const [players, scores] = reply as [string[], string[]];
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
