// Work the code under check starts and does not await (a refresh query, a cache fill) lands a
// little after its answer, 50 to 200 ms later: "no extra work" is judged only once it had the time.
import type { Stores } from '../../lib/stores.ts';
import { afterUnawaited, sleep, waitUntil } from './wait.ts';

/**
 * Waits `startMs` for work started without await to get going, then until the pool has every
 * client back (a query under way has reached the gate by then) and Redis has answered what the
 * client sent: what the call did in the background is then in `course.sql` and MONITOR's record
 * (with the PINGs this sent on the learner's client: `withoutPings` leaves them out).
 */
export async function quietAfter(stores: Stores, startMs = 200): Promise<void> {
  await sleep(startMs);
  const { db } = stores;
  await waitUntil(() => db.idleCount === db.totalCount && db.waitingCount === 0, 1000);
  await afterUnawaited(stores.cache);
}

/** The commands the code under check sent, without the PINGs of `quietAfter` (or its own: they change nothing). */
export function withoutPings<T extends { args: string[] }>(commands: T[]): T[] {
  return commands.filter((c) => c.args[0] !== 'PING');
}
