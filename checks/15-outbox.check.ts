import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { describe, it } from 'vitest';
import { useCourse, type ObservedStores } from './harness/course.ts';
import { addUser, describeRedis, userRow } from './harness/observe.ts';
import { call, demand, errorWith, isTodo, rejects, settle, show } from './harness/teach.ts';
import * as h from './15-outbox.helpers.ts';

type Module = typeof import('../solutions/15-outbox/outbox.ts');
type Changes = Parameters<Module['updateUser']>[2];

const course = useCourse('15');
const { updateUser, relayOnce } = await course.load<Module>();
const { STREAM } = h;

const relayed = (stores: ObservedStores, batchSize: number, how = '', limitMs = 4000) =>
  call(`relayOnce(stores, { batchSize: ${batchSize} })${how}`, () => relayOnce(stores, { batchSize }), limitMs);
const relaySettled = (stores: ObservedStores, batchSize: number, label: string, limitMs = 8000) =>
  settle(`${label}(stores, { batchSize: ${batchSize} })`, () => relayOnce(stores, { batchSize }), limitMs);
const renamed = (db: pg.Pool, id: number, name: string, how = '') =>
  call(`updateUser(db, ${id}, { name: '${name}' })${how}`, () => updateUser(db, id, { name }));

describe('15 · the transactional outbox and its relay', () => {
  it('updateUser returns the new row and writes one pending user.updated event with it', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const { db } = await course.stores();
    const result = await renamed(db, ada.id, 'Ada King');
    const fresh = { ...ada, name: 'Ada King' };
    const stored = await userRow(course, ada.id);
    demand(
      isDeepStrictEqual(result, fresh) && isDeepStrictEqual(stored, fresh),
      `the updated row ${show(fresh)}, returned and stored`,
      `returned ${show(result)}, stored ${show(stored)}`,
    );
    const rows = (await h.outboxRows(course)).map(({ id: _, ...row }) => row);
    const want = { aggregate_id: ada.id, type: 'user.updated', payload: fresh, sent: false };
    demand(
      isDeepStrictEqual(rows, [want]),
      `one pending outbox row ${show(want)}: the payload is the whole row after the change`,
      show(rows),
    );
  });

  it('returns null and writes no event for an unknown user', async () => {
    await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const { db } = await course.stores();
    const result = await renamed(db, 999, 'Nobody');
    const rows = await h.outboxRows(course);
    demand(result === null, 'null when no user has that id', show(result));
    demand(rows.length === 0, 'no outbox row: nothing changed, so there is nothing to announce', show(rows));
  });

  it('updates only the fields given, an empty string included', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const { db } = await course.stores();
    const steps: [Changes, h.User][] = [
      [{ email: 'ada@king.example' }, { ...ada, email: 'ada@king.example' }],
      [{ name: '' }, { ...ada, name: '', email: 'ada@king.example' }],
      [
        { name: 'Ada King', email: 'ada@example.com' },
        { ...ada, name: 'Ada King' },
      ],
    ];
    for (const [changes, want] of steps) {
      const label = `updateUser(db, ${ada.id}, ${show(changes)})`;
      const result = await call(label, () => updateUser(db, ada.id, changes));
      const stored = await userRow(course, ada.id);
      demand(
        isDeepStrictEqual(result, want) && isDeepStrictEqual(stored, want),
        `${label} to change the fields it is given and keep the others, returning and storing ${show(want)} (an empty name is given: it replaces the old one)`,
        `returned ${show(result)}, stored ${show(stored)}`,
      );
    }
    const payloads = (await h.outboxRows(course)).map((r) => r.payload);
    const wanted = steps.map(([, want]) => want);
    demand(
      isDeepStrictEqual(payloads, wanted),
      `three outbox rows, each with the whole row after its change: ${show(wanted)}`,
      show(payloads),
    );
  });

  it('a rolled-back update emits nothing: no outbox row, nothing relayed', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    await addUser(course, 'Alan Turing', 'alan@example.com');
    const stores = await course.stores();
    await rejects(
      `updateUser(db, ${ada.id}, { email: 'alan@example.com' })`,
      'that email belongs to another user',
      () => updateUser(stores.db, ada.id, { email: 'alan@example.com' }),
      errorWith(/duplicate key|unique/i, "Postgres's unique-violation error, passed on"),
    );
    const rows = await h.outboxRows(course);
    demand(rows.length === 0, 'no outbox row: the change was rolled back, so its event must not exist', show(rows));
    const count = await relayed(stores, 10);
    const events = await h.streamEvents(course);
    demand(count === 0 && events.length === 0, 'the relay to find nothing to send (0)', `${count}; ${show(events)}`);
  });

  it('writes the change and its outbox row in one transaction', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const seen = await h.auditing(course, async () => {
      // maxUses: 1 retires a connection when it goes back to the pool, so db.query() never reuses one.
      const { db } = await course.stores({ pool: { maxUses: 1 } });
      await renamed(db, ada.id, 'Ada King', ' on a pool that never reuses a connection');
    });
    const txs = new Set(seen.map((c) => c.tx));
    const changes = seen.map((c) => c.change);
    demand(
      changes.includes('UPDATE users') && changes.includes('INSERT outbox') && txs.size === 1,
      'the UPDATE of users and the INSERT INTO outbox in one transaction (one client from db.connect(), BEGIN … COMMIT): a crash between two transactions leaves a change with no event',
      `${seen.length} row change(s) in ${txs.size} transaction(s): ${show(seen.map((c) => `${c.change} (tx ${c.tx})`))}`,
    );
  });

  it('changes nothing when the outbox refuses the row', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const { db } = await course.stores();
    await h.withDdl(course, ...h.refusing('outbox', 'BEFORE INSERT', 'the outbox refuses this row'), () =>
      rejects(
        `updateUser(db, ${ada.id}, { name: 'Ada King' }) while the outbox refuses rows`,
        'the event could not be written',
        () => updateUser(db, ada.id, { name: 'Ada King' }),
        errorWith('the outbox refuses this row', "the outbox's error, passed on"),
      ),
    );
    const row = await userRow(course, ada.id);
    demand(isDeepStrictEqual(row, ada), `the user unchanged, ${show(ada)}: no event, no change (ROLLBACK)`, show(row));
    await h.noOpenTransaction(course, 'the refused event');
  });

  it('relays pending rows to user-events in id order, marks them sent and returns how many', async () => {
    const { users, ids } = await h.seed(course, 3);
    const stores = await course.stores();
    const first = await relayed(stores, 2);
    const events = await h.streamEvents(course);
    const want = [0, 1].map((i) => ({
      eventId: String(ids[i]),
      type: 'user.updated',
      userId: String(users[i]!.id),
      payload: users[i],
    }));
    demand(first === 2, 'relayOnce to return 2: the batch size caps a pass', show(first));
    demand(
      isDeepStrictEqual(events, want),
      `${STREAM} to hold the two oldest events, in id order, with the fields event_id, type, user_id, payload`,
      show(events),
    );
    await h.stillPending(course, [ids[2]!], 'a batch of 2 took the two oldest rows and marked them sent');
    const rest = await relayed(stores, 2, ' again');
    const { result: none, redis } = await course.watch(() => relayed(stores, 2, ' with nothing pending'));
    demand(rest === 1 && none === 0, 'then 1 (the last row), then 0', `${show(rest)}, then ${show(none)}`);
    const adds = redis.filter((c) => c.args[0] === 'XADD');
    demand(adds.length === 0, 'nothing sent when nothing is pending', describeRedis(adds));
    await h.sentOnce(course, ids, 'three passes');
  });

  it("relays each of a user's events, and returns the number of rows, not of users", async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const alan = await addUser(course, 'Alan Turing', 'alan@example.com');
    const payloads = [{ ...ada, name: 'Ada King' }, alan, { ...ada, name: 'Ada Byron' }];
    const ids: number[] = [];
    for (const payload of payloads) ids.push(await h.pendingEvent(course, payload));
    const count = await relayed(await course.stores(), 10);
    const events = await h.streamEvents(course);
    demand(count === 3, 'relayOnce to return 3: three rows relayed, two of them about one user', show(count));
    demand(
      isDeepStrictEqual(
        events.map((e) => [Number(e.eventId), e.payload]),
        ids.map((id, i) => [id, payloads[i]]),
      ),
      `${STREAM} to hold the three events in id order, Ada's two included: ${show(ids)}`,
      show(events),
    );
    await h.sentOnce(course, ids, "a user's two events and another's");
  });

  it('leaves user:<id> alone until the relay runs, then it is gone', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const alan = await addUser(course, 'Alan Turing', 'alan@example.com');
    const grace = await addUser(course, 'Grace Hopper', 'grace@example.com');
    await h.cacheUsers(course, [ada, alan, grace]);
    const stores = await course.stores();
    const { redis } = await course.watch(() => renamed(stores.db, ada.id, 'Ada King'));
    demand(
      redis.length === 0 && (await course.redis.exists(`user:${ada.id}`)) === 1,
      'updateUser to send nothing to Redis: the relay invalidates, once the change is committed',
      describeRedis(redis),
    );
    await renamed(stores.db, grace.id, 'Grace Murray');
    await relayed(stores, 10);
    for (const user of [ada, grace]) {
      const left = await course.redis.get(`user:${user.id}`);
      demand(
        left === null,
        `user:${user.id} deleted by the relay (every user of the batch, each by their own key), so the next read fetches the new row (a DEL, not a new value: two relays may finish in either order)`,
        `it holds ${show(left)}`,
      );
    }
    const other = await course.redis.exists(`user:${alan.id}`);
    demand(other === 1, `user:${alan.id} to survive: only the changed user's key goes`, 'it is gone');
  });

  it('marks nothing when an XADD or a DEL fails: the next relay sends the rows', async () => {
    const { users, ids } = await h.seed(course, 2);
    await h.cacheUsers(course, users);
    const stores = await course.stores({ pool: { max: 1, connectionTimeoutMillis: 1000 } });
    for (const refused of [['xadd'], ['del', 'unlink']]) {
      const name = refused[0]!.toUpperCase();
      await h.denied(course, refused, () =>
        rejects(
          'relayOnce(stores, { batchSize: 10 })',
          `Redis refuses ${name}`,
          () => relayOnce(stores, { batchSize: 10 }),
          errorWith(/NOPERM|EXECABORT/, "Redis's refusal, passed on"),
        ),
      );
      const why = `the ${name} failed, so nothing may be marked: publish and invalidate first, mark last, ROLLBACK on failure (a row marked sent whose event never left is lost)`;
      await h.stillPending(course, ids, why);
      await h.noOpenTransaction(course, `the failed ${name}`);
    }
    await relayed(stores, 10, ' once Redis accepts again');
    const { missing } = h.copies(await h.streamIds(course), ids);
    const cached = await course.redis.exists(users.map((u) => `user:${u.id}`));
    demand(
      missing.length === 0 && (await h.pendingIds(course)).length === 0 && cached === 0,
      'every row sent and marked, and the cached copies deleted, by the next relay',
      `missing from ${STREAM}: ${show(missing)}; pending: ${show(await h.pendingIds(course))}; cached: ${cached}`,
    );
  });

  it('a relay that fails after publishing leaves its rows pending, and the next sends them again', async () => {
    const { ids } = await h.seed(course, 2);
    // One client: the next relay gets the very connection the failed one used.
    const stores = await course.stores({ pool: { max: 1, connectionTimeoutMillis: 1000 } });
    await h.withDdl(course, ...h.refusing('outbox', 'BEFORE UPDATE', 'the relay dies here'), () =>
      rejects(
        'relayOnce(stores, { batchSize: 10 }) while marking rows sent fails',
        'marking the rows sent failed',
        () => relayOnce(stores, { batchSize: 10 }),
        errorWith('the relay dies here', "Postgres's error, passed on"),
      ),
    );
    await h.stillPending(course, ids, 'their marking failed and was rolled back');
    await h.noOpenTransaction(course, 'the failed marking');
    const again = await relaySettled(stores, 10, 'the next relayOnce, on the same single pooled client,', 4000);
    demand(
      again.ok && again.value === 2,
      'the next relay to send both rows again (at least once: consumers skip an event_id they have applied)',
      h.outcome(again),
    );
    await h.sentOnce(course, ids, 'after the failed relay and the next', true);
  });

  it('a second relay takes other rows while the first holds its batch (SKIP LOCKED)', async () => {
    const { ids } = await h.seed(course, 6);
    const { first, second, inTime, seen } = await h.skipLockedRace(course, relaySettled);
    const outcomes = `first: ${h.outcome(first)}; second: ${h.outcome(second)}`;
    demand(first.ok && second.ok, 'both relays to succeed', outcomes);
    demand(
      inTime,
      'the second relay to finish while the first still holds its rows: FOR UPDATE SKIP LOCKED skips them instead of waiting for the first relay to commit',
      seen,
    );
    await h.sentOnce(course, ids, 'two relays at once');
  });

  it('two relays running together send every row once, none twice, none skipped', async () => {
    const { ids } = await h.seed(course, 30);
    await h.twoRelayLoops(course, (stores, how) => relayed(stores, 4, how, 6000));
    await h.sentOnce(course, ids, '30 rows, two relays');
  });

  it('never marks a row it did not send, even one that committed while it was publishing', async () => {
    const { late, early, outcome } = await h.lateCommitRace(course, (s) => relaySettled(s, 10, 'relayOnce', 6000));
    demand(outcome.ok, 'relayOnce to succeed', h.outcome(outcome));
    const sent = await h.streamIds(course);
    const unsent = (await h.outboxRows(course)).filter((r) => r.sent && !sent.includes(r.id)).map((r) => r.id);
    demand(
      unsent.length === 0,
      `no row marked sent whose event is not in ${STREAM}: row ${late} drew its id before row ${early} and committed while the relay was publishing; mark exactly the ids you took, never "every id up to the last"`,
      `rows ${show(unsent)} marked sent; ${STREAM} holds ${show(sent)}`,
    );
    await relayed(await course.stores(), 10, ', the next pass');
    const after = await h.streamIds(course);
    demand(
      after.includes(late) && (await h.pendingIds(course)).length === 0,
      `row ${late} sent by now: take the lowest pending ids, whatever ids were relayed before (no "above the last id sent" cursor)`,
      `${STREAM}: ${show(after)}; pending: ${show(await h.pendingIds(course))}`,
    );
  });

  it("gives one user's events ids in the order the changes committed", async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const { a, b } = await h.commitOrderRace(course, (db, name, how) =>
      settle(`updateUser(db, ${ada.id}, { name: '${name}' })${how}`, () => updateUser(db, ada.id, { name }), 8000),
    );
    demand(a.ok && b.ok, 'both updates to succeed', `A: ${h.outcome(a)}; B: ${h.outcome(b)}`);
    const final = await userRow(course, ada.id);
    const events = (await h.outboxRows(course)).filter((r) => r.aggregate_id === ada.id);
    demand(
      events.length === 2 && isDeepStrictEqual(events[1]?.payload, final),
      "the user's last event (highest id) to be the change that committed last, so a consumer applying events by id ends where Postgres is: insert the outbox row after the UPDATE, whose row lock makes the other change wait",
      `Postgres holds ${show(final)}; the events by id: ${show(events.map((e) => e.payload))}`,
    );
  });

  it('updates only the fields given, even when two changes of one user race', async () => {
    const ada = await addUser(course, 'Ada Lovelace', 'ada@example.com');
    const change = (changes: Changes) => (db: pg.Pool, how: string) =>
      settle(`updateUser(db, ${ada.id}, ${show(changes)})${how}`, () => updateUser(db, ada.id, changes), 8000);
    const { slow, fast } = await h.raceOnOneUser(
      course,
      change({ name: 'Ada King' }),
      change({ email: 'ada@king.example' }),
    );
    demand(slow.ok && fast.ok, 'both updates to succeed', `name: ${h.outcome(slow)}; email: ${h.outcome(fast)}`);
    const final = await userRow(course, ada.id);
    const want = { id: ada.id, name: 'Ada King', email: 'ada@king.example' };
    demand(
      isDeepStrictEqual(final, want),
      `both changes kept, ${show(want)}: the UPDATE sets only the fields given, from the row as it is once its lock is granted (a row read before and written back whole puts the other change's old value back)`,
      `Postgres holds ${show(final)}`,
    );
    const events = (await h.outboxRows(course)).map((r) => r.payload);
    demand(
      isDeepStrictEqual(events.at(-1), want),
      `the user's last event to carry the row Postgres holds, ${show(want)}`,
      `the events by id: ${show(events)}`,
    );
  });

  it('takes the lowest pending ids first, not the rows whose transaction began first', async () => {
    const want = await h.beganFirstDrewLast(course);
    const stores = await course.stores();
    await relayed(stores, 1);
    await relayed(stores, 1, ' again');
    const sent = await h.streamIds(course);
    demand(
      isDeepStrictEqual(sent, want),
      `${STREAM} to hold ${show(want)} in that order, one by one: ORDER BY id. created_at is when a change's transaction began, and row ${want[1]}'s began first, yet drew its id after row ${want[0]}`,
      show(sent),
    );
  });

  it('adds a batch in id order even when older rows sit later in the table', async () => {
    const want = await h.olderRowLast(course);
    const stores = await course.stores();
    await relayed(stores, 2);
    await relayed(stores, 2, ' again');
    const sent = await h.streamIds(course);
    demand(
      isDeepStrictEqual(sent, want),
      `${STREAM} to hold ${show(want)} in that order, two by two: ORDER BY id (without it, Postgres returns rows in the order it finds them in the table, and a cleanup job plus VACUUM put the newer rows first)`,
      show(sent),
    );
  });

  it('releases every client and leaves no transaction open', async () => {
    const { users } = await h.seed(course, 2);
    const [one, two] = users as [h.User, h.User];
    const stores = await course.stores({ pool: { max: 2, connectionTimeoutMillis: 1000 } });
    const relay = () => relayOnce(stores, { batchSize: 10 });
    const steps: [string, () => Promise<unknown>][] = [
      ['a good update', () => updateUser(stores.db, one.id, { name: 'Renamed' })],
      ['an update refused (a taken email)', () => updateUser(stores.db, one.id, { email: two.email })],
      ['an update refused again', () => updateUser(stores.db, two.id, { email: one.email })],
      ['an update of an unknown user', () => updateUser(stores.db, 999, { name: 'Nobody' })],
      ['a relay whose XADD is refused', () => h.denied(course, ['xadd'], relay)],
      ['a good relay', relay],
      ['a relay with nothing pending', relay],
    ];
    for (const [what, run] of steps) {
      const outcome = await settle(`${what}, on a pool of 2 clients`, run, 3000);
      demand(outcome.ok || !isTodo(outcome.error), `${what} to run`, 'the stub threw TODO');
      const leak = h.checkedOut(stores.db);
      demand(!leak, `every client back in the pool after ${what} (release() in a finally block)`, leak ?? '');
      await h.noOpenTransaction(course, what);
    }
    const pending = await h.pendingIds(course);
    demand(pending.length === 0, 'the good relay to have sent every row', `pending: ${show(pending)}`);
  });
});
