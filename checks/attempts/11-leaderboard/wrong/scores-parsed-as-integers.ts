// wrong: "`addPoints(…)` adds `points` to the player's score (…) and returns the **new** score." → must fail: addPoints returns the new score, kept in a sorted set
// Raw replies come back as text, and the scores are read with parseInt. Scores are doubles in Redis:
// 2.5 comes back as 2, -0.5 as -0, and a large score that Redis writes as "1e+21" as 1.
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
  return parseInt(String(reply), 10);
}

export async function top(
  cache: Cache,
  board: string,
  n: number,
): Promise<Standing[]> {
  if (n <= 0) return [];
  const reply = await cache.sendCommand<string[]>([
    'ZRANGE',
    board,
    '0',
    String(n - 1),
    'REV',
    'WITHSCORES',
  ]);
  const standings: Standing[] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) {
    standings.push({
      player: String(reply[i]),
      score: parseInt(String(reply[i + 1]), 10),
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
  const [rank, score] = await cache
    .multi()
    .addCommand(['ZREVRANK', board, player])
    .addCommand(['ZSCORE', board, player])
    .exec();
  if (rank == null || score == null) return null;
  return {
    rank: parseInt(String(rank), 10) + 1,
    score: parseInt(String(score), 10),
  };
}
