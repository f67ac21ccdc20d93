// wrong: "so tied players get different, consecutive ranks" → must fail: orders ties the same way every time, and top and rankOf agree
// Sports-style ranking: a rank is one more than the number of players
// with a higher score, so tied players share a place.
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
  const entries = await cache.zRangeWithScores(board, 0, n - 1, {
    REV: true,
  });
  const standings: Standing[] = [];
  entries.forEach((entry, i) => {
    const previous = standings[i - 1];
    const rank =
      previous && previous.score === entry.score
        ? previous.rank
        : i + 1;
    standings.push({
      player: entry.value,
      score: entry.score,
      rank,
    });
  });
  return standings;
}

export async function rankOf(
  cache: Cache,
  board: string,
  player: string,
): Promise<{ rank: number; score: number } | null> {
  const score = await cache.zScore(board, player);
  if (score === null) return null;
  const higher = await cache.zCount(board, `(${score}`, '+inf');
  return { rank: higher + 1, score };
}
