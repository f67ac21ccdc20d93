import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { whileItWaits } from './harness/mid-call.ts';
import { call, demand, errorText, show } from './harness/teach.ts';

type Module = typeof import('../solutions/11-leaderboard/leaderboard.ts');
type Standing = Awaited<ReturnType<Module['top']>>[number];

const course = useCourse('11');
const { addPoints, top, rankOf } = await course.load<Module>();

function lines(standings: unknown): string {
  if (!Array.isArray(standings)) return show(standings);
  if (standings.length === 0) return '[] (nobody)';
  return standings.map((s) => show(s)).join('\n          ');
}

const seed = (board: string, scores: Record<string, number>) =>
  course.redis.zAdd(
    board,
    Object.entries(scores).map(([value, score]) => ({ value, score })),
  );

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
    const below = await call('addPoints(cache, "game", "Zoë", -5) for a new player', () =>
      addPoints(stores.cache, 'game', 'Zoë', -5),
    );
    demand(
      below === -5,
      'addPoints to return -5: a new player starts at 0, points may be negative, and the score is what ZINCRBY answers, below 0 too',
      show(below),
    );
    // Scores are floating-point numbers in Redis: a fraction, and one Redis writes as 1e+21.
    for (const [player, points] of [
      ['linus', 2.5],
      ['max', 1e21],
    ] as const) {
      const got = await call(`addPoints(cache, "game", "${player}", ${points})`, () =>
        addPoints(stores.cache, 'game', player, points),
      );
      demand(
        got === points,
        `addPoints to return ${points}: a score is a floating-point number (Redis answers it as text, "${points === 1e21 ? '1e+21' : points}": read it with Number, never parseInt)`,
        show(got),
      );
    }
    await call('addPoints(cache, "game", "Grace Hopper", 10)', () =>
      addPoints(stores.cache, 'game', 'Grace Hopper', 10),
    );
    const type = await course.redis.type('game');
    demand(
      type === 'zset',
      'the board `game` to be a sorted set (one key, scores kept in order by Redis)',
      `the key game is of type ${type}`,
    );
    const scores = await course.redis.zRangeWithScores('game', 0, -1);
    demand(
      isDeepStrictEqual(scores, [
        { value: 'Zoë', score: -5 },
        { value: 'linus', score: 2.5 },
        { value: 'Grace Hopper', score: 10 },
        { value: 'ada', score: 70 },
        { value: 'max', score: 1e21 },
      ]),
      "the sorted set game to hold Zoë -5, linus 2.5, Grace Hopper 10, ada 70 and max 1e21, each member the player's name as it was given (never encoded: anyone reading the board reads names)",
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
    // Scores as Redis writes them: a fraction, a negative, and one it writes as 1e+21.
    await seed('odd', { half: 2.5, huge: 1e21, below: -0.5 });
    const odd = await call('top(cache, "odd", 3)', () => top(stores.cache, 'odd', 3));
    const oddExpected: Standing[] = [
      { player: 'huge', score: 1e21, rank: 1 },
      { player: 'half', score: 2.5, rank: 2 },
      { player: 'below', score: -0.5, rank: 3 },
    ];
    demand(
      isDeepStrictEqual(odd, oddExpected),
      `scores read back as the numbers Redis holds (it answers "1e+21", "2.5", "-0.5": read them with Number, never parseInt):\n          ${lines(oddExpected)}`,
      lines(odd),
    );
    const empty = await call('top(cache, "no-such-board", 3)', () => top(stores.cache, 'no-such-board', 3));
    demand(Array.isArray(empty) && empty.length === 0, 'an empty list for a board nobody has scored on', lines(empty));
    // Another process adds points; the next top() reads the board as Redis holds it now.
    await course.redis.zIncrBy('game', 250, 'linus');
    const now = await call('top(cache, "game", 3) after linus scored 250 more', () => top(stores.cache, 'game', 3));
    const current: Standing[] = [expected[0]!, { player: 'linus', score: 350, rank: 2 }, { ...expected[1]!, rank: 3 }];
    demand(
      isDeepStrictEqual(now, current),
      `the board as Redis holds it now, linus second with 350 after another process's ZINCRBY (no copy of the standings kept in your process):\n          ${lines(current)}`,
      lines(now),
    );
    // A game ends while top() reads: the standings must be those of one moment of the board.
    await course.redis.zIncrBy('game', -250, 'linus');
    const before = expected;
    const after: Standing[] = [expected[0]!, { ...expected[2]!, rank: 2 }, { player: 'linus', score: 100, rank: 3 }];
    const raced = await whileItWaits(
      course,
      'top(cache, "game", 3) while ada loses 250 points',
      (cache) => top(cache, 'game', 3),
      () => course.redis.zIncrBy('game', -250, 'ada'),
    );
    demand(
      raced.ok && (isDeepStrictEqual(raced.value, before) || isDeepStrictEqual(raced.value, after)),
      `the standings of one moment of the board, from before ada's loss or after it, read in one step (ZRANGE … REV WITHSCORES, or one MULTI): an order read first and scores read after another game are a board that never was:\n          ${lines(before)}\n        or\n          ${lines(after)}`,
      raced.ok ? lines(raced.value) : `top rejected with ${errorText(raced.error)}`,
    );
  });

  it("rankOf gives a player's 1-based rank and score", async () => {
    const stores = await course.stores();
    await seed('game', { ada: 300, grace: 500, linus: 100.5, alan: 200, zoe: 0, '': 150 });
    const grace = await call('rankOf(cache, "game", "grace")', () => rankOf(stores.cache, 'game', 'grace'));
    demand(
      isDeepStrictEqual(grace, { rank: 1, score: 500 }),
      'grace, the highest score, to be { rank: 1, score: 500 } (ranks count from 1, from the top)',
      show(grace),
    );
    const linus = await call('rankOf(cache, "game", "linus")', () => rankOf(stores.cache, 'game', 'linus'));
    demand(
      isDeepStrictEqual(linus, { rank: 5, score: 100.5 }),
      'linus, fifth of six, to be { rank: 5, score: 100.5 } (a score is a floating-point number: read it with Number)',
      show(linus),
    );
    const zoe = await call('rankOf(cache, "game", "zoe") for zoe at 0 points', () =>
      rankOf(stores.cache, 'game', 'zoe'),
    );
    demand(
      isDeepStrictEqual(zoe, { rank: 6, score: 0 }),
      'zoe, on the board with a score of 0, to be { rank: 6, score: 0 }: a score of 0 is a score (test for null, not for falsy)',
      show(zoe),
    );
    const nameless = await call('rankOf(cache, "game", "") for the player named ""', () =>
      rankOf(stores.cache, 'game', ''),
    );
    demand(
      isDeepStrictEqual(nameless, { rank: 4, score: 150 }),
      'the player named "" (an empty string is a member like any other, and top lists it) to be { rank: 4, score: 150 }',
      show(nameless),
    );
    await call('addPoints(cache, "game", "yan", 0), a first game that scored nothing', () =>
      addPoints(stores.cache, 'game', 'yan', 0),
    );
    const yan = await call('rankOf(cache, "game", "yan")', () => rankOf(stores.cache, 'game', 'yan'));
    demand(
      isDeepStrictEqual(yan, { rank: 7, score: 0 }),
      'yan, put on the board by addPoints with 0 points (ZINCRBY by 0 adds the player at 0), to be { rank: 7, score: 0 }, after zoe',
      show(yan),
    );
    // A game ends while rankOf reads: the rank and the score must be of one moment of the board.
    const raced = await whileItWaits(
      course,
      'rankOf(cache, "game", "ada") while ada scores 300 more',
      (cache) => rankOf(cache, 'game', 'ada'),
      () => course.redis.zIncrBy('game', 300, 'ada'),
    );
    const moments = [
      { rank: 2, score: 300 },
      { rank: 1, score: 600 },
    ];
    demand(
      raced.ok && moments.some((m) => isDeepStrictEqual(raced.value, m)),
      `ada's rank and score of one moment, ${show(moments[0])} before her game or ${show(moments[1])} after it: read both in one step (one MULTI, or a script)`,
      raced.ok ? show(raced.value) : `rankOf rejected with ${errorText(raced.error)}`,
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
    await seed('game', { ada: 100, Bob: 100, cy: 100, Émile: 100, dee: 50, eve: 200 });
    const first = await call('top(cache, "game", 6)', () => top(stores.cache, 'game', 6));
    const again = await call('top(cache, "game", 6) again', () => top(stores.cache, 'game', 6));
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
      { player: 'Émile', score: 100, rank: 2 },
      { player: 'cy', score: 100, rank: 3 },
      { player: 'ada', score: 100, rank: 4 },
      { player: 'Bob', score: 100, rank: 5 },
      { player: 'dee', score: 50, rank: 6 },
    ];
    demand(
      isDeepStrictEqual(first, expected),
      `ties in the order ZRANGE … REV gives them (equal scores by name compared byte by byte, reversed: "Émile" (bytes C3 89…) before "cy", "ada" before "Bob" (uppercase letters come first in bytes); not localeCompare, which knows accents and case), each rank its position counted from 1:\n          ${lines(expected)}`,
      lines(first),
    );
  });
});
