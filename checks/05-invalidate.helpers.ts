// Helpers of checks/05-invalidate.check.ts: a rename watched by a reader in another session, a
// COMMIT made slow, a row held locked while two updates queue behind it, and cache-aside reads.
import type { User } from '../lib/stores.ts';
import { now, type Course } from './harness/course.ts';
import { addUser, userRow } from './harness/observe.ts';
import type { SeenCommand } from './harness/redis-monitor.ts';
import { call } from './harness/teach.ts';
import { sleep, waitUntil } from './harness/wait.ts';

type UpdateUser = typeof import('../solutions/05-invalidate/update-user.ts').updateUser;

export async function cache(course: Course, id: number, value: unknown): Promise<void> {
  await course.redis.set(`user:${id}`, JSON.stringify(value), { EX: 300 });
}

/** A read as exercise 04 makes it: the sticky note if there is one, else the row, which it notes. */
export async function cacheAsideRead(course: Course, id: number): Promise<User | null> {
  const note = await course.redis.get(`user:${id}`);
  if (note !== null) return JSON.parse(note) as User;
  const row = await userRow(course, id);
  if (row) await cache(course, id, row);
  return row;
}

const DELETES = new Set(['DEL', 'UNLINK']);

/** The commands that deleted keys, as Redis ran them (from a script or a MULTI too); of `key` alone with one. */
export function deletions(redis: SeenCommand[], key?: string): SeenCommand[] {
  return redis.filter((c) => DELETES.has(c.args[0] ?? '') && (key === undefined || c.args.slice(1).includes(key)));
}

export const REPLY_DELAY_MS = 300;
export const COMMIT_DELAY_MS = 300;

/**
 * Runs `fn` while every COMMIT that changed a user takes `COMMIT_DELAY_MS` longer (a deferred
 * trigger sleeps in it): the new row becomes visible to other sessions only once it has returned.
 */
export async function withSlowCommit<T>(course: Course, fn: () => Promise<T>): Promise<T> {
  await course.db.query(`
    CREATE FUNCTION course_slow_commit() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN PERFORM pg_sleep(${COMMIT_DELAY_MS / 1000}); RETURN NULL; END $$;
    CREATE CONSTRAINT TRIGGER course_slow_commit AFTER UPDATE ON users
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION course_slow_commit();`);
  try {
    return await fn();
  } finally {
    await course.db.query('DROP TRIGGER course_slow_commit ON users; DROP FUNCTION course_slow_commit();');
  }
}

/**
 * Renames Ada while every Redis reply takes 300 ms, and meanwhile reads her row from another
 * session every few ms, as any reader would: when the DEL ran, and until when readers still saw
 * the old name. Deleting before the new row is committed leaves readers 300 ms (the DEL's reply,
 * or a slow COMMIT) to fetch the old row and cache it again.
 */
export async function renameWhileWatching(course: Course, updateUser: UpdateUser) {
  const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
  await cache(course, ada.id, ada);
  const proxy = await course.proxy('redis');
  const stores = await course.stores({ redisUrl: proxy.urlFor(course.redisUrl) });
  proxy.mode = 'slow';
  proxy.delayMs = REPLY_DELAY_MS;
  let running = true;
  let oldSeenAt = 0; // when the last read that still saw the old name was sent
  const reader = (async () => {
    while (running) {
      const sentAt = now();
      const row = await userRow(course, ada.id);
      if (row?.name === 'Ada Lovelace') oldSeenAt = sentAt;
      await sleep(3);
    }
  })();
  const { result, redis } = await course.watch(async () => {
    try {
      const user = await call(
        `updateUser(stores, ${ada.id}, { name: 'Ada King' }) while Redis replies take ${REPLY_DELAY_MS} ms`,
        () => updateUser(stores, ada.id, { name: 'Ada King' }),
      );
      return { user, resolvedAt: now() };
    } finally {
      await sleep(20);
      running = false;
      await reader;
    }
  });
  return { ada: ada, ...result, oldSeenAt, del: deletions(redis, `user:${ada.id}`)[0], redis };
}

/**
 * Runs `fn` (updates of row `id`) while another session holds the row locked, until two of the
 * learner's statements wait for it (or a second passes), then lets them go together: updates
 * that read the row first and write it back whole both read it before either writes.
 */
export async function withRowHeld<T>(course: Course, id: number, fn: () => Promise<T>): Promise<T> {
  const holder = await course.db.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [id]);
    const running = fn();
    running.catch(() => {}); // judged by the caller, once the lock is gone
    await waitUntil(async () => {
      const { rows } = await course.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = $1 AND usename = $1 AND wait_event_type = 'Lock'`,
        [course.databaseName],
      );
      return (rows[0]?.n ?? 0) >= 2;
    }, 1000);
    await holder.query('COMMIT');
    return await running;
  } finally {
    await holder.query('ROLLBACK').catch(() => {});
    holder.release();
  }
}
