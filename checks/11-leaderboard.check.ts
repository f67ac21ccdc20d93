import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { call, demand, show } from './harness/teach.ts';

type Module = typeof import('../solutions/11-leaderboard/leaderboard.ts');
type Standing = Awaited<ReturnType<Module['top']>>[number];

const course = useCourse('11');
const { addPoints, top, rankOf } = await course.load<Module>();

function lines(standings: unknown): string {
  if (!Array.isArray(standings)) return show(standings);
  if (standings.length === 0) return '[] (nobody)';
  return standings.map((s) => show(s)).join('\n          ');
}

async function seed(board: string, scores: Record<string, number>): Promise<void> {
  await course.redis.zAdd(
    board,
    Object.entries(scores).map(([value, score]) => ({ value, score })),
  );
}

describe('11 · a leaderboard with sorted sets', () => {
  it('addPoints returns the new score, kept in a sorted set', async () => {
    const stores = await course.stores();
    const first = await call('addPoints(cache, "game", "ada", 50)', () => addPoints(stores.cache, 'game', 'ada', 50));
    demand(first === 50, "addPoints to return 50, Ada's score after her first points", show(first));
    const second = await call('addPoints(cache, "game", "ada", 25)', () => addPoints(stores.cache, 'game', 'ada', 25));
    demand(
      second === 75,
      'addPoints to return 75: points add up (ZINCRBY), they do not replace the score',
      show(second),
    );
    const penalty = await call('addPoints(cache, "game", "ada", -5)', () => addPoints(stores.cache, 'game', 'ada', -5));
    demand(penalty === 70, 'addPoints to return 70 after a 5-point penalty', show(penalty));
    await call('addPoints(cache, "game", "grace", 10)', () => addPoints(stores.cache, 'game', 'grace', 10));
    const type = await course.redis.type('game');
    demand(
      type === 'zset',
      'the board `game` to be a sorted set (one key, scores kept in order by Redis)',
      `the key game is of type ${type}`,
    );
    const scores = await course.redis.zRangeWithScores('game', 0, -1);
    demand(
      isDeepStrictEqual(scores, [
        { value: 'grace', score: 10 },
        { value: 'ada', score: 70 },
      ]),
      'the sorted set game to hold grace 10 and ada 70',
      show(scores),
    );
  });

  it('addPoints is atomic: games that end at the same moment all count', async () => {
    // Every reply takes 50 ms, so a read-then-write addPoints reads before any write lands.
    const proxy = await course.proxy('redis');
    const stores = await course.stores({ redisUrl: proxy.urlFor(course.redisUrl) });
    proxy.mode = 'slow';
    proxy.delayMs = 50;
    const games: (readonly [board: string, player: string, points: number])[] = [
      ...Array.from({ length: 10 }, () => ['game', 'ada', 1] as const),
      ...Array.from({ length: 10 }, () => ['game', 'grace', 2] as const),
      ...Array.from({ length: 5 }, () => ['cup', 'ada', 5] as const),
    ];
    const returned = await call('25 addPoints at once: ada +1 ×10 and grace +2 ×10 on game, ada +5 ×5 on cup', () =>
      Promise.all(games.map(([board, player, points]) => addPoints(stores.cache, board, player, points))),
    );
    const [game, cup] = await Promise.all([
      course.redis.zRangeWithScores('game', 0, -1),
      course.redis.zRangeWithScores('cup', 0, -1),
    ]);
    demand(
      isDeepStrictEqual(game, [
        { value: 'ada', score: 10 },
        { value: 'grace', score: 20 },
      ]) && isDeepStrictEqual(cup, [{ value: 'ada', score: 25 }]),
      'every game counted: game holds ada 10 and grace 20, cup holds ada 25 (ZINCRBY adds in one command; reading the score and writing it back loses the games that read the same old score)',
      `game holds ${show(game)}, cup holds ${show(cup)}`,
    );
    const sorted = (from: number, to: number) =>
      (Array.isArray(returned) ? returned.slice(from, to) : []).map(Number).sort((a, b) => a - b);
    const steps = (n: number, by: number) => Array.from({ length: n }, (_, i) => (i + 1) * by);
    demand(
      isDeepStrictEqual(sorted(0, 10), steps(10, 1)) &&
        isDeepStrictEqual(sorted(10, 20), steps(10, 2)) &&
        isDeepStrictEqual(sorted(20, 25), steps(5, 5)) &&
        Array.isArray(returned) &&
        returned.every((r) => typeof r === 'number'),
      "each call to return the new score right after its own points: ada's ten calls 1…10 in some order, grace's 2, 4 … 20, ada's on cup 5 … 25",
      `returned ${show(returned)}`,
    );
  });

  it('top lists the highest scores first, ranked from 1', async () => {
    const stores = await course.stores();
    await seed('game', { ada: 300, grace: 500, linus: 100, alan: 200 });
    const podium = await call('top(cache, "game", 3)', () => top(stores.cache, 'game', 3));
    const expected: Standing[] = [
      { player: 'grace', score: 500, rank: 1 },
      { player: 'ada', score: 300, rank: 2 },
      { player: 'alan', score: 200, rank: 3 },
    ];
    demand(
      isDeepStrictEqual(podium, expected),
      `the three highest scores, highest first, with ranks 1, 2, 3 (Redis counts positions from 0; people count places from 1):\n          ${lines(expected)}`,
      lines(podium),
    );
    const everyone = await call('top(cache, "game", 10) with only 4 players', () => top(stores.cache, 'game', 10));
    demand(
      Array.isArray(everyone) &&
        everyone.length === 4 &&
        everyone.at(-1)?.player === 'linus' &&
        everyone.at(-1)?.rank === 4,
      'all 4 players when n is larger than the board, linus last with rank 4',
      lines(everyone),
    );
    const none = await call('top(cache, "game", 0)', () => top(stores.cache, 'game', 0));
    demand(
      Array.isArray(none) && none.length === 0,
      'an empty list for n = 0 (careful: ZRANGE 0 -1 means the whole board)',
      lines(none),
    );
    const empty = await call('top(cache, "no-such-board", 3)', () => top(stores.cache, 'no-such-board', 3));
    demand(Array.isArray(empty) && empty.length === 0, 'an empty list for a board nobody has scored on', lines(empty));
  });

  it("rankOf gives a player's 1-based rank and score", async () => {
    const stores = await course.stores();
    await seed('game', { ada: 300, grace: 500, linus: 100, alan: 200, zoe: 0 });
    const grace = await call('rankOf(cache, "game", "grace")', () => rankOf(stores.cache, 'game', 'grace'));
    demand(
      isDeepStrictEqual(grace, { rank: 1, score: 500 }),
      'grace, the highest score, to be { rank: 1, score: 500 } (ranks count from 1, from the top)',
      show(grace),
    );
    const linus = await call('rankOf(cache, "game", "linus")', () => rankOf(stores.cache, 'game', 'linus'));
    demand(
      isDeepStrictEqual(linus, { rank: 4, score: 100 }),
      'linus, fourth of five, to be { rank: 4, score: 100 }',
      show(linus),
    );
    const zoe = await call('rankOf(cache, "game", "zoe") for zoe at 0 points', () =>
      rankOf(stores.cache, 'game', 'zoe'),
    );
    demand(
      isDeepStrictEqual(zoe, { rank: 5, score: 0 }),
      'zoe, on the board with a score of 0, to be { rank: 5, score: 0 }: a score of 0 is a score (test for null, not for falsy)',
      show(zoe),
    );
  });

  it('rankOf returns null for a player who is not on the board', async () => {
    const stores = await course.stores();
    await seed('game', { ada: 300, grace: 500 });
    const unknown = await call('rankOf(cache, "game", "nobody")', () => rankOf(stores.cache, 'game', 'nobody'));
    demand(unknown === null, 'null for a player not on the board (not a made-up rank, not 0)', show(unknown));
    const noBoard = await call('rankOf(cache, "no-such-board", "ada")', () =>
      rankOf(stores.cache, 'no-such-board', 'ada'),
    );
    demand(noBoard === null, 'null when the board does not exist', show(noBoard));
  });

  it('orders ties the same way every time, and top and rankOf agree', async () => {
    const stores = await course.stores();
    await seed('game', { ada: 100, bob: 100, cy: 100, dee: 50, eve: 200 });
    const first = await call('top(cache, "game", 5)', () => top(stores.cache, 'game', 5));
    const again = await call('top(cache, "game", 5) again', () => top(stores.cache, 'game', 5));
    demand(
      isDeepStrictEqual(first, again),
      'the same standings on every call',
      `first:\n          ${lines(first)}\n        then:\n          ${lines(again)}`,
    );
    // Agreement first, judged on your own top(): a player's place must not depend on which function you ask.
    for (const standing of Array.isArray(first) ? first : []) {
      const mine = await call(`rankOf(cache, "game", "${standing.player}")`, () =>
        rankOf(stores.cache, 'game', standing.player),
      );
      demand(
        isDeepStrictEqual(mine, { rank: standing.rank, score: standing.score }),
        `rankOf to agree with top: top() puts ${standing.player} at { rank: ${standing.rank}, score: ${standing.score} }`,
        `rankOf says ${show(mine)}`,
      );
    }
    const expected: Standing[] = [
      { player: 'eve', score: 200, rank: 1 },
      { player: 'cy', score: 100, rank: 2 },
      { player: 'bob', score: 100, rank: 3 },
      { player: 'ada', score: 100, rank: 4 },
      { player: 'dee', score: 50, rank: 5 },
    ];
    demand(
      isDeepStrictEqual(first, expected),
      `ties in the order ZRANGE … REV gives them (equal scores by name, reversed), each rank its position counted from 1:\n          ${lines(expected)}`,
      lines(first),
    );
  });
});
