// The round-trip figures of `npm run bench`, which lesson 09 charts:
//   - batched against one at a time: 100 users read with 100 queries (or 100 GETs awaited one by
//     one) against one `WHERE id = ANY($1)` query (or 100 GETs sent together, or one MGET);
//   - a contended reservation: many callers taking from one row's counter, with a
//     read-modify-write under FOR UPDATE (four round trips, the row locked through most of them)
//     against one `UPDATE … WHERE n >= $1 RETURNING` (one round trip, the lock held for it alone).
// Plain clients as an application holds them (a pg.Pool of 10, one node-redis client), in a
// scratch database and Redis space of their own; nothing here asserts a time.
import pg from 'pg';
import { createClient } from 'redis';
import type { Cache } from '../lib/stores.ts';
import { openScratchSpace } from '../tooling/scratch-space.ts';
import type { Services } from '../tooling/services.ts';
import { ms, stats, type Stats } from './bench-measures.ts';

/** How long reading 100 users took, one series per way of reading them (ms per 100 users). */
export interface BatchRound {
  postgresOneByOne: Stats;
  postgresBatched: Stats;
  redisOneByOne: Stats;
  redisPipelined: Stats;
  redisMget: Stats;
}

export interface Reservations {
  /** Wall time until the stock was sold out, ms. */
  totalMs: number;
  /** Reservations per second. */
  perSecond: number;
  /** Time each successful reservation took, ms. */
  each: Stats;
  sold: number;
  left: number;
}

export interface RoundTripFigures {
  users: number;
  batch: BatchRound[];
  reservation: {
    callers: number;
    stock: number;
    pool: number;
    rounds: { forUpdate: Reservations; atomic: Reservations }[];
  };
}

const USERS = 100;
const POOL = 10;

/** Times `series` runs of `read`, after one run that only warms the connections. */
async function timed(series: number, read: () => Promise<unknown>): Promise<Stats> {
  await read();
  const samples: number[] = [];
  for (let i = 0; i < series; i += 1) {
    const t = performance.now();
    await read();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

async function batchRound(db: pg.Pool, cache: Cache, ids: number[], series: number): Promise<BatchRound> {
  const keys = ids.map((id) => `user:${id}`);
  return {
    postgresOneByOne: await timed(series, async () => {
      for (const id of ids) await db.query('SELECT id, name, email FROM users WHERE id = $1', [id]);
    }),
    postgresBatched: await timed(series, () => db.query('SELECT id, name, email FROM users WHERE id = ANY($1)', [ids])),
    redisOneByOne: await timed(series, async () => {
      for (const key of keys) await cache.get(key);
    }),
    redisPipelined: await timed(series, () => Promise.all(keys.map((key) => cache.get(key)))),
    redisMget: await timed(series, () => cache.mGet(keys)),
  };
}

const FOR_UPDATE = async (db: pg.Pool): Promise<boolean> => {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ n: number }>('SELECT n FROM bench_stock WHERE id = 1 FOR UPDATE');
    const n = rows[0]!.n;
    if (n >= 1) await client.query('UPDATE bench_stock SET n = $1 WHERE id = 1', [n - 1]);
    await client.query('COMMIT');
    return n >= 1;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
};

const ATOMIC = async (db: pg.Pool): Promise<boolean> => {
  const { rowCount } = await db.query('UPDATE bench_stock SET n = n - $1 WHERE id = 1 AND n >= $1 RETURNING n', [1]);
  return rowCount === 1;
};

/** `callers` callers at once take one unit each, again and again, until the stock is gone. */
async function sellOut(
  db: pg.Pool,
  stock: number,
  callers: number,
  reserve: (db: pg.Pool) => Promise<boolean>,
): Promise<Reservations> {
  await db.query('UPDATE bench_stock SET n = $1 WHERE id = 1', [stock]);
  const each: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (;;) {
        const t = performance.now();
        if (!(await reserve(db))) return;
        each.push(performance.now() - t);
      }
    }),
  );
  const totalMs = performance.now() - started;
  const { rows } = await db.query<{ n: number }>('SELECT n FROM bench_stock WHERE id = 1');
  return { totalMs, perSecond: (each.length / totalMs) * 1000, each: stats(each), sold: each.length, left: rows[0]!.n };
}

export async function roundTripFigures(
  services: Services,
  options: { rounds: number; quick: boolean; callers: number },
): Promise<RoundTripFigures> {
  const scratch = await openScratchSpace(services.postgresUrl, services.redisUrl, `benchrt${process.pid}`);
  const db = new pg.Pool({ connectionString: scratch.databaseUrl, max: POOL });
  const cache: Cache = createClient({ url: scratch.redisUrl });
  db.on('error', () => {});
  cache.on('error', () => {});
  try {
    await cache.connect();
    const { rows: users } = await scratch.admin.query<{ id: number; name: string; email: string }>(
      `INSERT INTO users (name, email)
       SELECT 'reader ' || n, 'reader' || n || '@example.com' FROM generate_series(1, $1) AS n
       RETURNING id, name, email`,
      [USERS],
    );
    await cache.mSet(users.map((u): [string, string] => [`user:${u.id}`, JSON.stringify(u)]));
    const ids = users.map((u) => u.id);
    // The learner role owns its database: the table is its own, as an application's would be.
    await db.query('CREATE TABLE bench_stock (id integer PRIMARY KEY, n integer NOT NULL)');
    await db.query('INSERT INTO bench_stock VALUES (1, 0)');
    const stock = options.quick ? 200 : 2000;
    const series = options.quick ? 10 : 30;
    const batch: BatchRound[] = [];
    const reservations: RoundTripFigures['reservation']['rounds'] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      batch.push(await batchRound(db, cache, ids, series));
      reservations.push({
        forUpdate: await sellOut(db, stock, options.callers, FOR_UPDATE),
        atomic: await sellOut(db, stock, options.callers, ATOMIC),
      });
    }
    return { users: USERS, batch, reservation: { callers: options.callers, stock, pool: POOL, rounds: reservations } };
  } finally {
    if (cache.isOpen) cache.destroy();
    await db.end();
    await scratch.close();
  }
}

const medianOf = (values: number[]) => stats(values).median;
const x = (v: number) => `${v.toFixed(1)}×`;

/** What `npm run bench` prints of them. */
export function describeRoundTrips(f: RoundTripFigures): string[] {
  const series: [keyof BatchRound, string][] = [
    ['postgresOneByOne', `Postgres, ${f.users} queries one by one`],
    ['postgresBatched', 'Postgres, one WHERE id = ANY($1) query'],
    ['redisOneByOne', `Redis, ${f.users} GETs awaited one by one`],
    ['redisPipelined', `Redis, ${f.users} GETs sent together`],
    ['redisMget', 'Redis, one MGET'],
  ];
  const m = (key: keyof BatchRound) => medianOf(f.batch.map((r) => r[key].median));
  const ratio = (slow: keyof BatchRound, fast: keyof BatchRound) => {
    const values = f.batch.map((r) => r[slow].median / r[fast].median);
    return `${x(medianOf(values))} (rounds: ${x(Math.min(...values))}–${x(Math.max(...values))})`;
  };
  const { callers, stock, pool, rounds } = f.reservation;
  const sale = (label: string, pick: (r: (typeof rounds)[number]) => Reservations) => {
    const all = rounds.map(pick);
    const sound = all.every((r) => r.sold === stock && r.left === 0);
    return (
      `  ${label.padEnd(44)} ${medianOf(all.map((r) => r.perSecond)).toFixed(0)} reservations/s, ` +
      `median ${ms(medianOf(all.map((r) => r.each.median)))} each; ${sound ? `sold exactly ${stock}, none oversold` : 'SOLD A WRONG NUMBER'}`
    );
  };
  const speedup = rounds.map((r) => r.atomic.perSecond / r.forUpdate.perSecond);
  return [
    `  reading ${f.users} users; medians of ${f.batch.length} rounds, ms per ${f.users} users`,
    ...series.map(([key, label]) => `  ${label.padEnd(44)} ${ms(m(key)).padStart(9)}`),
    `  one query instead of ${f.users}: ${ratio('postgresOneByOne', 'postgresBatched')} faster;` +
      ` one MGET instead of ${f.users} GETs one by one: ${ratio('redisOneByOne', 'redisMget')}`,
    `  contended reservation: ${callers} callers at once, a stock of ${stock} in one row, a pool of ${pool} connections`,
    sale('read-modify-write under SELECT … FOR UPDATE', (r) => r.forUpdate),
    sale('one UPDATE … WHERE n >= $1 RETURNING', (r) => r.atomic),
    `  the single statement sold ${x(medianOf(speedup))} as many per second (rounds: ${x(Math.min(...speedup))}–${x(Math.max(...speedup))})`,
  ];
}
