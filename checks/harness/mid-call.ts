// Another client acting in the middle of a call of the code under check: between the first
// command the call sends and the next one. The call runs on a line whose answers reach it late,
// and the other client acts once the server has run that first command.
import type { Cache } from '../../lib/stores.ts';
import type { Course } from './course.ts';
import { learnerConnections } from './redis-clients.ts';
import { settle, type Settled } from './teach.ts';
import { waitUntil } from './wait.ts';

/**
 * Waits (up to 1 s) until connection `id` has run a command after the one it last ran: the code
 * under check has asked the server, and (through a slow line) does not have the answer yet.
 */
export async function untilItAsks(course: Course, id: number): Promise<void> {
  const lastOf = async () => (await learnerConnections(course)).find((c) => c.id === id)?.cmd;
  const before = await lastOf();
  await waitUntil(async () => (await lastOf()) !== before, 1000, 5);
}

/**
 * Runs `run` (a call of the code under check) on a client whose answers reach it `delayMs` late,
 * and runs `meanwhile` once the server has run the call's first command. A call that reads in
 * one step (one command, one MULTI, one script) is not affected; one that reads, waits for the
 * answer, then reads or writes again, sees what `meanwhile` did in between.
 */
export async function whileItWaits<T>(
  course: Course,
  label: string,
  run: (cache: Cache) => Promise<T>,
  meanwhile: () => Promise<unknown>,
  delayMs = 200,
): Promise<Settled<T>> {
  const proxy = await course.proxy('redis');
  const slow = await course.stores({ redisUrl: proxy.urlFor(course.redisUrl) });
  const id = Number(await slow.cache.clientId());
  [proxy.mode, proxy.delayMs] = ['slow', delayMs];
  const outcome = settle(label, () => run(slow.cache), 4000);
  await untilItAsks(course, id);
  await meanwhile();
  return outcome;
}
