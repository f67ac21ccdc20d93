import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { describeSql } from './harness/observe.ts';
import { call, demand, errorText, settle, type Settled } from './harness/teach.ts';
import {
  afterSilentLine,
  allReserved,
  answered,
  buyAfterCommit,
  ended,
  judgeRace,
  label,
  lockTimeoutKept,
  lockTimeoutOf,
  namesTheSku,
  outcomeText,
  picture,
  ran,
  released,
  request,
  seed,
  slowedPool,
  snapshot,
  sqlstate,
  unchangedAfter,
  whileHeld,
  type Request,
} from './12-reserve-stock.helpers.ts';
import { judgeFreshRetries, succeedsOnItsFifth, withFaults, type Fault } from './12-reserve-stock.faults.ts';

type Module = typeof import('../solutions/12-reserve-stock/reserve-stock.ts');

const course = useCourse('12');
const { reserveStock, UnknownSkuError } = await course.load<Module>();

/** One call that must resolve, named for the learner. */
const reserve = (db: Parameters<typeof reserveStock>[0], r: Request, what = '') =>
  call(`${label(r)}${what}`, () => reserveStock(db, r));

describe('12 · reserve stock', () => {
  it('reserves: takes the units, records the reservation, reports what remains', async () => {
    await seed(course, { 'tea-green': 5, 'tea-black': 9 });
    const { db } = await course.stores();
    // A request id is whatever the phone sent: a quote or a letter outside ASCII included.
    const first = request("o'brien/order-1", 3);
    answered(await reserve(db, first), { reserved: true, remaining: 2 }, '5 available, 3 reserved');
    const after = await snapshot(course);
    demand(
      isDeepStrictEqual(after.stock, { 'tea-black': 9, 'tea-green': 2 }) &&
        isDeepStrictEqual(after.reservations, [{ request_id: "o'brien/order-1", sku: 'tea-green', quantity: 3 }]),
      "tea-green down to 2, tea-black untouched at 9, and one reservation row: o'brien/order-1, 3 × tea-green (pass values as $1, $2 parameters, never inside the SQL text)",
      picture(after),
    );
    const last = request('bestellung-ü-2', 2);
    answered(await reserve(db, last), { reserved: true, remaining: 0 }, 'the last 2 units');
  });

  it('refuses when there is not enough, reserving nothing', async () => {
    await seed(course, { 'tea-green': 2 });
    const { db } = await course.stores();
    const asked = request('order-1', 3);
    const before = await snapshot(course);
    answered(await reserve(db, asked), { reserved: false, remaining: 2 }, '3 asked, 2 available');
    const after = await snapshot(course);
    demand(
      isDeepStrictEqual(before, after),
      'nothing changed: no reservation row, the stock as it was',
      picture(after),
    );
    await ended(course, 'the transaction ended (ROLLBACK or COMMIT) before the answer');
  });

  it('rejects an unknown sku with UnknownSkuError, changing nothing', async () => {
    await seed(course, { 'tea-green': 5 });
    const { db } = await course.stores();
    const unknown = request('order-1', 1, 'tea-blue');
    const error = await unchangedAfter(course, label(unknown), 'there is no stock row for tea-blue', () =>
      reserveStock(db, unknown),
    );
    namesTheSku(error, error instanceof UnknownSkuError, 'tea-blue');
    await ended(course, 'the transaction ended with ROLLBACK before the error travelled up');
  });

  it('rejects a quantity that is not a positive integer, changing nothing', async () => {
    await seed(course, { 'tea-green': 5 });
    const { db } = await course.stores();
    const cases: [string, number][] = [
      ['a zero quantity', 0],
      ['a negative quantity (it would put units back)', -3],
      ['a fraction of a unit', 1.5],
    ];
    for (const [why, quantity] of cases) {
      const bad = request(`order-${quantity}`, quantity);
      await unchangedAfter(course, label(bad), why, () => reserveStock(db, bad));
    }
  });

  it('reports what its own transaction left, though another shopper buys right after', async () => {
    await seed(course, { 'tea-green': 5 });
    // Every answer from Postgres takes 150 ms to reach the code: another shopper, who takes one unit
    // the moment the reservation commits, always comes before the code's next statement.
    const db = await slowedPool(course, 150);
    const asked = request('order-1', 2);
    const call = settle(
      `${label(asked)}, while another shopper buys 1 right after`,
      () => reserveStock(db, asked),
      8000,
    );
    const [outcome, bought] = await Promise.all([call, buyAfterCommit(course, 'tea-green', 3, call)]);
    ran([outcome]);
    demand(
      outcome.ok && isDeepStrictEqual(outcome.value, { reserved: true, remaining: 3 }),
      "{ reserved: true, remaining: 3 }: `remaining` is the `available` this transaction left (take it from UPDATE … RETURNING, or from the row you locked), not a read after COMMIT, when other shoppers' purchases show too",
      `it ${outcomeText(outcome)}${bought ? '; another shopper took 1 unit right after its COMMIT, leaving 2' : ''}`,
    );
  });

  it('a repeated request id reserves once', async () => {
    await seed(course, { 'tea-green': 5, 'tea-black': 9 });
    const { db } = await course.stores();
    const first = request('order-7', 3);
    await reserve(db, first);
    // Only 2 are left now: a repeat must be recognised as one before the stock is asked.
    const again = await reserve(db, first, ' a second time');
    const other = request('order-7', 1, 'tea-black');
    const third = await reserve(db, other, ': the same id, another sku and quantity');
    const after = await snapshot(course);
    demand(
      isDeepStrictEqual(after.stock, { 'tea-black': 9, 'tea-green': 2 }) && after.reservations.length === 1,
      'the request took effect once: tea-green at 2, tea-black untouched at 9, one reservation row (the request id alone names the request)',
      picture(after),
    );
    answered(again, { reserved: true, remaining: 2 }, 'the repeat is reserved; 2 are available now');
    answered(
      third,
      { reserved: true, remaining: 2 },
      'the id decides: reserved; 2 tea-green (the sku the first request reserved) are available now',
    );
    // Two ids that differ only in case are two requests.
    const shouted = request('ORDER-7', 1);
    answered(
      await reserve(db, shouted, ': an id that differs from order-7 only in case'),
      { reserved: true, remaining: 1 },
      'a new request, reserved: the request id is compared exactly as sent, so 1 tea-green is left',
    );
  });

  it('two calls with the same request id at once reserve once and agree', async () => {
    await seed(course, { 'tea-green': 5 });
    const { db } = await course.stores({ pool: { max: 2 } });
    const twice = request('order-7', 3);
    // The check holds the stock row until both calls wait on a lock: whatever each read first, it
    // read it before the other could write.
    const outcomes = await whileHeld(course, 'tea-green', 2, () =>
      [1, 2].map((i) => settle(`${label(twice)} #${i} of 2 at once`, () => reserveStock(db, twice), 6000)),
    );
    ran(outcomes);
    const after = await snapshot(course);
    demand(
      isDeepStrictEqual(after.stock, { 'tea-green': 2 }) && after.reservations.length === 1,
      'one reservation and 3 units taken, once: tea-green at 2 (claim the request id with INSERT … ON CONFLICT DO NOTHING; a SELECT first lets both through)',
      `${picture(after)}; the calls: ${outcomes.map(outcomeText).join('; ')}`,
    );
    demand(
      outcomes.every((o) => o.ok && isDeepStrictEqual(o.value, { reserved: true, remaining: 2 })),
      'both calls resolved { reserved: true, remaining: 2 }: the same outcome for the same request',
      outcomes.map(outcomeText).join('; '),
    );
  });

  it('never oversells under 50 concurrent callers: as many reservations as units', async () => {
    await seed(course, { 'tea-green': 4 });
    const { db } = await course.stores({ pool: { max: 20 } });
    // All twenty connections read the stock while the check holds its row: code that decides on a
    // plain read sees 4 units twenty times.
    const outcomes: Settled<{ reserved: boolean; remaining: number }>[] = await whileHeld(course, 'tea-green', 20, () =>
      Array.from({ length: 50 }, (_, i) => {
        const one = request(`order-${i + 1}`, 1);
        return settle(`${label(one)}, one of 50 at once`, () => reserveStock(db, one), 10_000);
      }),
    );
    await judgeRace(course, outcomes, 4);
  });

  it('retries a serialization failure or deadlock in a fresh transaction', async () => {
    await seed(course, { 'tea-green': 5 });
    const { db } = await course.stores({ pool: { max: 2 } });
    const asked = request('order-1', 2);
    const plan: Fault[] = ['40001@insert', '40P01@insert', '40001@commit'];
    await withFaults(course, plan, false, async (faults) => {
      const start = course.sql.length;
      const what = `${label(asked)} while Postgres fails its first 3 attempts`;
      const outcome = await settle(what, () => reserveStock(db, asked));
      await judgeFreshRetries(course, outcome, faults, `\n${describeSql(course.sql.slice(start))}`);
    });
  });

  it('gives up after 5 attempts when the failure never stops', async () => {
    await seed(course, { 'tea-green': 5 });
    const { db } = await course.stores({ pool: { max: 2 } });
    const asked = request('order-1', 2);
    await withFaults(course, ['40001@insert'], true, async (faults) => {
      const before = await snapshot(course);
      const what = `${label(asked)} while every attempt meets 40001`;
      const outcome = await settle(what, () => reserveStock(db, asked), 5000);
      const { n } = await faults.attempts();
      ran([outcome]);
      demand(
        !outcome.ok && sqlstate(outcome.error) === '40001',
        'a rejection carrying the last serialization failure (SQLSTATE 40001: the error itself, or yours with it as `cause`)',
        `it ${outcomeText(outcome)}`,
      );
      demand(n === 5, '5 attempts in all (the first and 4 retries)', `${n} attempts reached the reservations table`);
      demand(
        outcome.ms < 1000,
        'the whole call over well under a second: a short pause between attempts, if any',
        `it took ${(outcome.ms / 1000).toFixed(2)} s to give up`,
      );
      const after = await snapshot(course);
      demand(isDeepStrictEqual(before, after), 'nothing changed', `${picture(before)} became ${picture(after)}`);
      await released(course, db, 'giving up');
    });
    // The attempts are counted per call: the next call gets its 5 whatever the last one met.
    const next = request('order-2', 1);
    await succeedsOnItsFifth(course, `then ${label(next)}`, () => reserveStock(db, next), 4);
  });

  it('does not retry an error that is not a serialization failure or deadlock', async () => {
    await seed(course, { 'tea-green': 5 });
    const { db } = await course.stores({ pool: { max: 2 } });
    const asked = request('order-1', 2);
    await withFaults(course, ['P0001@insert'], true, async (faults) => {
      const why = 'the reservations table refuses every row (SQLSTATE P0001)';
      const error = await unchangedAfter(course, label(asked), why, () => reserveStock(db, asked));
      const { n } = await faults.attempts();
      demand(sqlstate(error) === 'P0001', "Postgres's error P0001 (or yours with it as `cause`)", errorText(error));
      demand(
        n === 1,
        'one attempt: only 40001 and 40P01 ask for a retry',
        `${n} attempts reached the reservations table`,
      );
      await released(course, db, 'an error not retried');
    });
  });

  it('fails within its lock timeout while another session holds the row, and works once it is free', async () => {
    await seed(course, { 'tea-green': 5 });
    const { db } = await course.stores({ pool: { max: 1 } });
    const before = await lockTimeoutOf(db);
    const asked = request('order-1', 2);
    const what = `${label(asked)} while another session holds the tea-green row`;
    const calls = () => [settle(what, () => reserveStock(db, asked), 6000)];
    // The check lets go of the row after 5.5 s at the latest: code without a lock timeout
    // resolves late instead of hanging.
    const [outcome] = await whileHeld(course, 'tea-green', 99, calls, 5500);
    ran([outcome!]);
    demand(
      !outcome!.ok && sqlstate(outcome!.error) === '55P03' && outcome!.ms < 3000,
      'a rejection within 3 s with lock_not_available (SQLSTATE 55P03): SET LOCAL lock_timeout to between 1 and 2 s after BEGIN',
      `it ${outcomeText(outcome!)} after ${(outcome!.ms / 1000).toFixed(1)} s`,
    );
    const after = await snapshot(course);
    demand(after.stock['tea-green'] === 5 && after.reservations.length === 0, 'nothing changed', picture(after));
    const retry = await settle(`${label(asked)} again, the row free, on the pool of 1`, () => reserveStock(db, asked));
    demand(
      retry.ok && isDeepStrictEqual(retry.value, { reserved: true, remaining: 3 }),
      '{ reserved: true, remaining: 3 }: the timed-out call gave its client back, its transaction rolled back',
      `it ${outcomeText(retry)}`,
    );
    await lockTimeoutKept(db, before);
  });

  it('releases every client on every path', async () => {
    await seed(course, { 'tea-green': 20 });
    const { db } = await course.stores({ pool: { max: 2 } });
    const paths: [string, Fault[] | undefined, Request][] = [
      ['a reservation', undefined, request('a', 1)],
      ['not enough', undefined, request('b', 99)],
      ['a repeated request id', undefined, request('a', 1)],
      ['an unknown sku', undefined, request('c', 1, 'tea-blue')],
      ['a retry after 40001', ['40001@insert'], request('d', 1)],
      ['a retry after 40P01 at COMMIT', ['40P01@commit'], request('e', 1)],
      ['an error not retried', ['P0001@insert'], request('f', 1)],
    ];
    for (const [what, plan, asked] of paths) {
      const run = () => settle(`${label(asked)}: ${what}, on a pool of 2 clients`, () => reserveStock(db, asked));
      ran([plan ? await withFaults(course, plan, false, run) : await run()]);
      await released(course, db, `${what} (release() in finally, on every attempt)`);
    }
    const more = Array.from({ length: 8 }, (_, i) => request(`g${i}`, 1));
    const run = (one: Request) =>
      settle(`${label(one)}, one of 8 at once on the pool of 2`, () => reserveStock(db, one));
    await allReserved(course, await Promise.all(more.map(run)), 9);
    await afterSilentLine(course, reserveStock, 8);
  });
});
