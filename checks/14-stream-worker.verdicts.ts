// What the checks of checks/14-stream-worker.check.ts on the jobs themselves demand, once they have
// watched the workers: the order jobs reach the handler, two workers sharing a stream, and a failing
// job's retries and dead letter. Each demand says what was expected and what was observed.
import { isDeepStrictEqual } from 'node:util';
import type { Course } from './harness/course.ts';
import type { SeenCommand } from './harness/redis-monitor.ts';
import { demand, errorText, show, type Settled } from './harness/teach.ts';
import * as h from './14-stream-worker.helpers.ts';
import type { Call, Job } from './14-stream-worker.helpers.ts';
import * as l from './14-stream-worker.lines.ts';

/** Jobs `jobs`, entries `ids`, the first two enqueued before the worker started: each handled once, in order, deep-equal. */
export function judgeOrder(calls: Call[], ids: string[], jobs: Job[]): void {
  const handled = h.callsPerJob(
    calls,
    h.labels(ids, (i) => `job ${i + 1}`),
  );
  demand(
    calls.length === 0 || calls.some((c) => ids.slice(0, 2).includes(c.id)),
    'the two jobs enqueued before startWorker handled too: create the group from the start of the stream (XGROUP CREATE <stream> <group> 0 MKSTREAM), not from its end ($)',
    `only the job enqueued after startWorker reached the handler: ${handled}`,
  );
  const got = calls.map((c) => ({ id: c.id, job: c.job }));
  const want = ids.map((id, i) => ({ id, job: jobs[i] }));
  demand(
    isDeepStrictEqual(got, want),
    `handler(job, id) called once per job, in the stream's order, each job deep-equal to what was enqueued and each id the entry's: ${show(want, 400)}`,
    got.length === 0 ? 'the handler was never called within 3 s' : `the handler received ${show(got, 400)}`,
  );
}

/** Jobs `ids` handled by workers "a" and "b" of one group (`calls`): each once, by one of them, both given some. */
export function judgeShared(calls: Call[], ids: string[]): void {
  const twice = ids.filter((id) => calls.filter((c) => c.id === id).length > 1);
  const dupes = h.callsPerJob(
    calls.filter((c) => twice.includes(c.id)),
    h.labels(ids),
  );
  demand(
    twice.length === 0,
    'each job handled by one worker: read with XREADGROUP GROUP <group> <consumer> … > (a plain XREAD hands every job to every reader), and take over only jobs idle for claimIdleMs (2.5 s here), never one a worker is still handling',
    `handled more than once: ${dupes}`,
  );
  const missing = ids.filter((id) => !calls.some((c) => c.id === id));
  demand(missing.length === 0, 'all 6 jobs handled within 5 s', `never handled: ${h.labels(missing).size} of them`);
  demand(
    ['a', 'b'].every((consumer) => calls.some((c) => c.consumer === consumer)),
    'both workers handed jobs: each startWorker call starts a worker of its own, which reads as its own consumer (XREADGROUP GROUP <group> <consumer> …), even when a worker of the same group already runs in the process',
    `handled: ${h.callsPerJob(calls, h.labels(ids))}`,
  );
}

/** While the handler of job `first` ran, the group's pending list held `inHand`; once all were done, `pending`. */
export function judgeAcked(
  { mail, group, first }: { mail: string; group: string; first: string },
  inHand: h.Pending[],
  pending: h.Pending[],
): void {
  demand(
    inHand.some((p) => p.id === first && p.consumer === 'a'),
    'the job pending in the group, held by "a", while its handler runs: acknowledge (XACK) only after the handler resolved, or a worker that dies mid-job loses it',
    `while the handler ran, the group's pending list held: ${h.describePending(inHand)}`,
  );
  demand(
    pending.length === 0,
    `the group's pending list empty once the 4 jobs are done: XACK ${mail} ${group} <id> after each handler resolved (XDEL removes the entry, not its place in the pending list)`,
    `it still holds ${h.describePending(pending)}`,
  );
}

/** Worker b (`taken`: whether it handled anything) took over job `id`, which a held when it died (`atDeath`, the pending list then). */
export function judgeTakenOver(calls: Call[], id: string, job: Job, taken: boolean, atDeath: h.Pending[]): void {
  const byB = calls.find((c) => c.consumer === 'b');
  demand(
    taken && byB?.id === id && isDeepStrictEqual(byB.job, job),
    'worker b to take over the job a never acknowledged, once idle for claimIdleMs (XAUTOCLAIM <stream> <group> b 500 0-0), and hand it to its handler',
    `${taken ? `b's handler received ${show(byB)}` : 'b handled nothing within 4 s'}; when a died, the pending list held: ${h.describePending(atDeath)}${atDeath.length ? '' : ' (acknowledged before its handler was done: the job died with a)'}`,
  );
}

/** stop() called while a handler ran (400 ms): `stopped` its outcome, `done` whether the handler had finished then, `pending` the pending list then. */
export function judgeFinished(stopped: Settled<void>, done: boolean, pending: h.Pending[]): void {
  demand(stopped.ok, 'stop() to resolve', stopped.ok ? '' : `it rejected: ${errorText(stopped.error)}`);
  demand(
    done && pending.length === 0,
    'stop(), called while a handler runs (400 ms here), to resolve only once that job is done and acknowledged: end the loop, then wait for the turn in progress to finish',
    `stop() resolved after ${Math.round(stopped.ms)} ms, ${done ? 'after' : 'while'} the handler ran; the group's pending list then held: ${h.describePending(pending)}`,
  );
}

/**
 * The retries check's verdict: the failing job `bad` delivered 3 times and the other, `good`, once;
 * `dead` (what <stream>:dead holds) one letter with the job as enqueued and the last error; nothing
 * pending; the dead letter added before the acknowledgement (`redis`, what Redis received).
 */
export async function judgeDeadLetter(
  course: Course,
  { mail, group, bad, good, job }: { mail: string; group: string; bad: string; good: string; job: Job },
  calls: Call[],
  dead: h.StreamEntry[],
  redis: SeenCommand[],
): Promise<void> {
  const pending = await h.pendingOf(course, mail, group);
  const handled = h.callsPerJob(
    calls,
    h.labels([bad, good], (i) => ['the failing job', 'the other job'][i]!),
  );
  demand(
    calls.filter((c) => c.id === bad).length === 3 && calls.filter((c) => c.id === good).length === 1,
    'the failing job delivered 3 times (maxDeliveries): left pending when its handler throws, taken over again by XAUTOCLAIM once idle for claimIdleMs; the other job handled once',
    `${handled}; pending: ${h.describePending(pending)}`,
  );
  demand(dead.length === 1, 'the failing job in <stream>:dead once', `${dead.length} entries: ${show(dead)}`);
  const { job: filed, error } = dead[0]!.fields;
  demand(
    filed === JSON.stringify(job) && error === 'try 3: the printer is on fire',
    `the dead letter's fields: job, the entry's job text as it was enqueued (${JSON.stringify(job)}; not the object the handler got, which it may have changed), and error, the message of the last error ("try 3: the printer is on fire": error.message, not String(error))`,
    `its fields: ${show(dead[0]!.fields)}`,
  );
  demand(!pending.length, 'the dead-lettered job acknowledged (XACK)', `pending: ${h.describePending(pending)}`);
  const early = l.ackedBeforeFiled(redis, mail, bad);
  demand(
    early === undefined,
    `the dead letter added before the job is acknowledged: XADD ${mail}:dead … then XACK ${mail} ${group} <id>, or both in one MULTI…EXEC (an acknowledged job whose dead letter then fails to be written is lost)`,
    `Redis received ${early}`,
  );
}
