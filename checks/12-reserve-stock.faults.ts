// Faults injected inside Postgres for checks/12-reserve-stock.check.ts: a trigger on reservations
// that fails the attempts a check chooses (at the INSERT or at COMMIT) and keeps the transaction id
// of every attempt that reached it, and the transaction that last wrote a row.
import { isDeepStrictEqual } from 'node:util';
import type { Course } from './harness/course.ts';
import { demand, settle, show, type Settled } from './harness/teach.ts';
import { outcomeText, picture, ran, snapshot } from './12-reserve-stock.helpers.ts';

export type Fault = `${string}@${'insert' | 'commit'}`;

export interface Injected {
  /** How many attempts reached the reservations table, and each one's transaction id. */
  attempts(): Promise<{ n: number; txids: string[] }>;
  remove(): Promise<void>;
}

const RECORDED = 12;

/** Runs `fn` with faults injected in Postgres (see injectFaults), and removes them whatever happens. */
export async function withFaults<T>(
  course: Course,
  plan: Fault[],
  forever: boolean,
  fn: (faults: Injected) => Promise<T>,
): Promise<T> {
  const faults = await injectFaults(course, plan, forever);
  try {
    return await fn(faults);
  } finally {
    await faults.remove();
  }
}

/**
 * Makes the code's INSERT into reservations fail inside Postgres: attempt n (counted by a sequence,
 * which a ROLLBACK does not undo) meets `plan[n - 1]` (`'40001@insert'` raises at the INSERT,
 * `'40001@commit'` at COMMIT, through a deferred constraint trigger), or `plan[0]` every time with
 * `forever`. Each attempt's txid_current() is kept in a sequence of its own, for the same reason.
 */
export async function injectFaults(course: Course, plan: Fault[], forever = false): Promise<Injected> {
  const steps = `ARRAY[${plan.map((p) => `'${p}'`).join(', ')}]::text[]`;
  const sequences = Array.from({ length: RECORDED }, (_, i) => `CREATE SEQUENCE course_attempt_tx_${i + 1};`).join(
    '\n',
  );
  await course.db.query(`
    CREATE SEQUENCE course_attempts;
    ${sequences}
    CREATE FUNCTION course_fault() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      DECLARE n bigint := nextval('course_attempts'); step text;
      BEGIN
        IF n <= ${RECORDED} THEN PERFORM setval('course_attempt_tx_' || n, txid_current()); END IF;
        step := (${steps})[CASE WHEN ${forever} THEN 1 ELSE n END];
        IF step IS NULL THEN RETURN NEW; END IF;
        IF split_part(step, '@', 2) = 'commit' THEN
          PERFORM set_config('course.fail_at_commit', split_part(step, '@', 1), true);
          RETURN NEW;
        END IF;
        RAISE EXCEPTION USING ERRCODE = split_part(step, '@', 1),
          MESSAGE = CASE split_part(step, '@', 1)
            WHEN '40001' THEN 'could not serialize access (injected by the check, attempt ' || n || ')'
            WHEN '40P01' THEN 'deadlock detected (injected by the check, attempt ' || n || ')'
            ELSE 'the reservations ledger is closed for stock-taking (injected by the check)' END;
      END $$;
    CREATE FUNCTION course_fault_at_commit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      DECLARE code text := coalesce(current_setting('course.fail_at_commit', true), '');
      BEGIN
        IF code <> '' THEN
          RAISE EXCEPTION USING ERRCODE = code,
            MESSAGE = 'could not serialize access (injected by the check at COMMIT)';
        END IF;
        RETURN NULL;
      END $$;
    CREATE TRIGGER course_fault BEFORE INSERT ON reservations FOR EACH ROW EXECUTE FUNCTION course_fault();
    CREATE CONSTRAINT TRIGGER course_fault_at_commit AFTER INSERT ON reservations
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION course_fault_at_commit();`);
  return {
    async attempts() {
      const { rows } = await course.db.query<{ n: string }>(
        'SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM course_attempts',
      );
      const n = Number(rows[0]?.n ?? 0);
      const txids: string[] = [];
      for (let i = 1; i <= Math.min(n, RECORDED); i++) {
        const t = await course.db.query<{ v: string }>(`SELECT last_value::text AS v FROM course_attempt_tx_${i}`);
        txids.push(t.rows[0]!.v);
      }
      return { n, txids };
    },
    async remove() {
      const drops = Array.from({ length: RECORDED }, (_, i) => `DROP SEQUENCE IF EXISTS course_attempt_tx_${i + 1};`);
      await course.db.query(`DROP TRIGGER IF EXISTS course_fault ON reservations;
        DROP TRIGGER IF EXISTS course_fault_at_commit ON reservations;
        DROP FUNCTION IF EXISTS course_fault(); DROP FUNCTION IF EXISTS course_fault_at_commit();
        DROP SEQUENCE IF EXISTS course_attempts; ${drops.join(' ')}`);
    },
  };
}

/** The 32-bit transaction id that wrote a row (xmin), comparable with txid_current() modulo 2^32. */
export async function writer(
  course: Course,
  table: 'stock' | 'reservations',
  key: string,
): Promise<string | undefined> {
  const column = table === 'stock' ? 'sku' : 'request_id';
  const { rows } = await course.db.query<{ x: string }>(`SELECT xmin::text AS x FROM ${table} WHERE ${column} = $1`, [
    key,
  ]);
  return rows[0]?.x;
}

export const xidOf = (txid: string): string => String(BigInt(txid) % 2n ** 32n);

/** Judges a call whose first 3 attempts met 40001, 40P01 and 40001 at COMMIT: done on its 4th, in a transaction of its own. */
export async function judgeFreshRetries(course: Course, outcome: Settled<unknown>, faults: Injected, sent: string) {
  const { n, txids } = await faults.attempts();
  ran([outcome]);
  demand(
    outcome.ok && isDeepStrictEqual(outcome.value, { reserved: true, remaining: 3 }),
    'the call to succeed on its 4th attempt, { reserved: true, remaining: 3 }: 40001 (at the INSERT), 40P01, then 40001 at COMMIT each ask for the whole transaction again (ROLLBACK, then a new BEGIN)',
    `it ${outcomeText(outcome)}; attempts that reached the reservations table: ${n}${sent}`,
  );
  demand(
    n === 4 && new Set(txids).size === 4,
    '4 attempts, each in a transaction of its own',
    `${n} attempt(s) in ${new Set(txids).size} transaction(s) (${show(txids)}): a retry back to a savepoint is still the failed transaction (under Repeatable Read or Serializable, with its old snapshot): ROLLBACK, then BEGIN again${sent}`,
  );
  const last = xidOf(txids[3]!);
  const stockBy = await writer(course, 'stock', 'tea-green');
  const reservationBy = await writer(course, 'reservations', 'order-1');
  const after = await snapshot(course);
  demand(
    stockBy === last && reservationBy === last && after.stock['tea-green'] === 3 && after.reservations.length === 1,
    "the stock change and the reservation written once, both by the 4th attempt's transaction",
    `${picture(after)}; stock row written by transaction ${stockBy}, reservation by ${reservationBy}, the 4th attempt was ${last}`,
  );
}

/** Demands that `run`, its first 4 attempts failing, resolves reserved on its 5th with `remaining` left. */
export async function succeedsOnItsFifth(course: Course, what: string, run: () => Promise<unknown>, remaining: number) {
  const plan: Fault[] = ['40001@insert', '40001@insert', '40001@insert', '40P01@insert'];
  await withFaults(course, plan, false, async (faults) => {
    const outcome = await settle(`${what} while its first 4 attempts fail`, run);
    const { n } = await faults.attempts();
    demand(
      outcome.ok && isDeepStrictEqual(outcome.value, { reserved: true, remaining }),
      `{ reserved: true, remaining: ${remaining} } on its 5th attempt: every call has 5 attempts of its own, whatever the call before it met (count them in the call, not in the module)`,
      `it ${outcomeText(outcome)} after ${n} attempt(s)`,
    );
  });
}
