// wrong: "And read Redis on every call: another process adds points too." → must fail: top lists the highest scores first, ranked from 1
// A check should change the board behind the learner's back (its own ZINCRBY) between two calls of top and expect the second to show it.
// The top ten is read all the time, so it is kept for a second in this process, and addPoints in this
// process forgets it. Points added by another process (another server, a script) do not: for up to a
// second, top shows standings the board no longer has, and disagrees with rankOf.
import type { Cache } from '../../../../lib/stores.ts';

/** One line of the leaderboard: rank 1 is the highest score. */
export interface Standing {
  player: string;
  score: number;
  rank: number;
}

const MEMO_MS = 1000;
const memo = new Map<
  string,
  { standings: Standing[]; until: number }
>();

export async function addPoints(
  cache: Cache,
  board: string,
  player: string,
  points: number,
): Promise<number> {
  const score = await cache.zIncrBy(board, points, player);
  for (const key of memo.keys())
    if (key.startsWith(`${board}\n`)) memo.delete(key);
  return score;
}

export async function top(
  cache: Cache,
  board: string,
  n: number,
): Promise<Standing[]> {
  if (n <= 0) return [];
  const key = `${board}\n${n}`;
  const kept = memo.get(key);
  if (kept !== undefined && kept.until > Date.now())
    return kept.standings.map((s) => ({ ...s }));
  const entries = await cache.zRangeWithScores(board, 0, n - 1, {
    REV: true,
  });
  const standings = entries.map(({ value, score }, i) => ({
    player: value,
    score,
    rank: i + 1,
  }));
  memo.set(key, { standings, until: Date.now() + MEMO_MS });
  return standings.map((s) => ({ ...s }));
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
