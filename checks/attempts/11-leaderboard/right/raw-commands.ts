// right: raw commands (ZINCRBY and ZREVRANGE WITHSCORES through sendCommand, ZREVRANK and ZSCORE through addCommand in one MULTI)
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
  const reply = await cache.sendCommand([
    'ZINCRBY',
    board,
    String(points),
    player,
  ]);
  return Number(reply);
}

export async function top(
  cache: Cache,
  board: string,
  n: number,
): Promise<Standing[]> {
  if (n < 1) return [];
  const reply = await cache.sendCommand([
    'ZREVRANGE',
    board,
    '0',
    String(n - 1),
    'WITHSCORES',
  ]);
  if (!Array.isArray(reply)) return [];
  const flat = reply.map(String);
  const standings: Standing[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    standings.push({
      player: flat[i] ?? '',
      score: Number(flat[i + 1]),
      rank: i / 2 + 1,
    });
  }
  return standings;
}

export async function rankOf(
  cache: Cache,
  board: string,
  player: string,
): Promise<{ rank: number; score: number } | null> {
  // Raw commands inside one MULTI: the rank and the score are of the
  // same moment of the board.
  const [rank, score] = await cache
    .multi()
    .addCommand(['ZREVRANK', board, player])
    .addCommand(['ZSCORE', board, player])
    .exec();
  if (rank === null || score === null) return null;
  return { rank: Number(rank) + 1, score: Number(score) };
}
