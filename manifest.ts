// The course in one place: every exercise and lesson, in order. The test command, the guided
// runner, the docs sidebar, the quiz validator and `npm run verify` all read this file, so adding
// an exercise is one entry here plus its folders (see CONTRIBUTING.md).

/** One lesson page of the site. */
export interface Lesson {
  /** Two-digit number fixing the order, e.g. "04"; quiz files are named after it. */
  id: string;
  /** kebab-case name; the page is `docs/lessons/<id>-<slug>.md`. */
  slug: string;
  /** Title shown in the sidebar and the quiz summary. */
  title: string;
}

/** One exercise: a stub under `exercises/`, its twin under `solutions/`, its checks under `checks/`. */
export interface Exercise {
  /** Two-digit number fixing the order, e.g. "04"; `npm test 04` selects it. */
  id: string;
  /** kebab-case name; `npm test cache-aside` selects it; the folder is `<id>-<slug>`. */
  slug: string;
  /** Title shown by the runner and on the exercise's page. */
  title: string;
  /** The file the learner edits, inside the exercise folder. */
  file: string;
  /** Names the stub and the solution must both export. */
  exports: readonly string[];
  /** Id of the lesson that teaches it (a `Lesson.id`). */
  lesson: string;
  /** Hints revealed one at a time by the runner, mildest first. */
  hints: readonly string[];
  /**
   * What the exercise is worth when graded (`npm run grade`, the GitHub Classroom workflow):
   * all of it once every check passes, none otherwise. 10 when absent.
   */
  points?: number;
}

export const lessons = [
  { id: '01', slug: 'filing-cabinet', title: 'The filing cabinet and the sticky note' },
  { id: '02', slug: 'drivers-and-pools', title: 'Drivers and pools' },
  { id: '03', slug: 'source-of-truth', title: 'Postgres, the source of truth' },
  { id: '04', slug: 'cache-aside', title: 'Cache-aside: the read path' },
  { id: '05', slug: 'invalidation', title: 'Writes and invalidation' },
  { id: '06', slug: 'cache-lies', title: 'Redis is not durable, and the cache can lie' },
  { id: '07', slug: 'beyond-caching', title: 'Redis beyond caching' },
  { id: '08', slug: 'concurrency', title: 'Many hands on one drawer' },
  { id: '09', slug: 'round-trips', title: 'One trip, not a hundred' },
  { id: '10', slug: 'memory-and-persistence', title: 'When the sticky notes run out' },
  { id: '11', slug: 'streams', title: 'A queue that survives a crash' },
  { id: '12', slug: 'outbox', title: 'Two stores, one truth' },
] as const satisfies readonly Lesson[];

export const exercises = [
  {
    id: '01',
    slug: 'connect',
    title: 'Connect to both stores',
    file: 'connect.ts',
    exports: ['connect'],
    lesson: '02',
    hints: [
      'Read both variables first and reject before opening anything: `new Error("DATABASE_URL is not set")` names the variable the learner has to fix.',
      'A `pg.Pool` is lazy: it only connects when asked. Run `SELECT 1` through it so a wrong address fails inside connect(), not on the first real query.',
      'node-redis retries a refused connection forever by default, and `connect()` waits all the while. Give `socket.reconnectStrategy` a limit (or `false`) so an unreachable Redis rejects instead of hanging; `socket.connectTimeout` already defaults to 5000 ms in node-redis 5.',
      '`connectTimeout` only covers opening the socket. A Redis that accepts the connection and then says nothing needs a deadline of your own: race `cache.connect()` against a timer, and destroy the client when the timer wins.',
      'Add `cache.on("error", ...)` before `connect()`: a client without an error listener crashes the process when the connection drops (a `pg.Pool` without one crashes it when an idle connection dies). If Redis fails after the pool was made, end the pool before rejecting, and destroy the Redis client so it stops trying.',
    ],
  },
  {
    id: '02',
    slug: 'source-of-truth',
    title: 'Users in the filing cabinet',
    file: 'users.ts',
    exports: ['createUser', 'findUser'],
    lesson: '03',
    hints: [
      'Never build SQL by gluing strings: pass values as parameters, `db.query("... WHERE id = $1", [id])`, and Postgres keeps them apart from the statement.',
      '`INSERT ... RETURNING id, name, email` gives you the stored row back in the same round trip.',
      '`rows[0]` is `undefined` when nothing matched (the tsconfig makes you say so): turn it into `null`.',
    ],
  },
  {
    id: '03',
    slug: 'transactions',
    title: 'Move money with a transaction',
    file: 'ledger.ts',
    exports: ['transfer', 'InsufficientFundsError'],
    lesson: '03',
    hints: [
      'A transaction lives on one connection: take a client with `await db.connect()`, and send BEGIN, the statements and COMMIT through that same client.',
      'Refuse a non-positive amount and a transfer to the same account before you touch the database. Once BEGIN has run, every error path (your own throws included) ends with ROLLBACK.',
      'Lock the rows you read: `SELECT balance_cents FROM accounts WHERE id = $1 FOR UPDATE`. Without the lock, two concurrent transfers both see the old balance.',
      'Release the client in a `finally` block, or the pool runs dry after a few failures. release() hands the connection back as it is: ROLLBACK first, and if even the ROLLBACK fails, call release(err) so the pool closes that connection instead of lending it out.',
    ],
  },
  {
    id: '04',
    slug: 'cache-aside',
    title: 'Cache-aside: read through Redis',
    file: 'get-user.ts',
    exports: ['getUser'],
    lesson: '04',
    hints: [
      'Follow the diagram: GET `user:<id>`; on a hit parse and return; on a miss read Postgres, SET the JSON, return.',
      'node-redis returns `null` for a missing key. That is a miss, not an error: branch on it. A rejected GET is a real error and should reject.',
      "Set the value and its expiry in one command: `cache.set(key, json, { expiration: { type: 'EX', value: 300 } })`. A SET followed by EXPIRE leaves a key without a TTL if the second command never runs.",
      'Wrap `JSON.parse` in try/catch: a corrupt value is a miss. And wrap the cache write too: if it fails, the user you read from Postgres is still the answer.',
    ],
  },
  {
    id: '05',
    slug: 'invalidate',
    title: 'Invalidate on write',
    file: 'update-user.ts',
    exports: ['updateUser'],
    lesson: '05',
    hints: [
      'Order matters: UPDATE the row in Postgres first, and only when that succeeded, DEL `user:<id>`, and await it before returning.',
      '`UPDATE ... SET name = COALESCE($2, name) ... RETURNING id, name, email` updates only the fields given and tells you whether the row existed.',
      'Delete the one key you changed: `DEL user:<id>`. FLUSHDB throws away every other sticky note on the monitor, and a KEYS (or SCAN) sweep walks the whole keyspace to find a key you already know.',
    ],
  },
  {
    id: '06',
    slug: 'cache-lies',
    title: 'When the cache lies or is gone',
    file: 'resilient-get-user.ts',
    exports: ['getUserResilient'],
    lesson: '06',
    hints: [
      "Give every Redis call a deadline: race it against a ~100 ms timer (cleared when the call wins), and on timeout or error fall back to Postgres. The timer only ends your wait: the command is still sent (or held in node-redis's offline queue until it reconnects), and Redis runs it.",
      'Coalesce concurrent misses: keep a Map from id to the in-flight Postgres promise, so 50 callers share one query.',
      'Do not await the cache write after reading Postgres: start it, catch its error, and return the user. A Redis that is down must not delay the answer, and an uncaught rejection must not crash the process.',
      'Remember absence too: store a small "absent" marker under `user:<id>` with a short TTL (say 30 s, never over 60) for ids Postgres does not know, and answer null when you read it.',
      'Add jitter to the TTL (300 s plus or minus a random few percent) so keys filled together do not expire together.',
    ],
  },
  {
    id: '07',
    slug: 'sessions',
    title: 'Sessions with a sliding expiry',
    file: 'sessions.ts',
    exports: ['createSession', 'getSession', 'destroySession'],
    lesson: '07',
    hints: [
      'Tokens must be unguessable: `randomBytes(32).toString("base64url")` from `node:crypto`, never `Math.random()`.',
      "Store `session:<token>` as JSON with `expiration: { type: 'EX', value: ttlSeconds }`. getSession is not told the TTL, so keep `ttlSeconds` inside the stored JSON.",
      'On read, GET the value, parse it (broken JSON is no session: return null), then EXPIRE the key with the stored TTL again. With a fixed TTL, `GETEX key EX <seconds>` would do both in one command.',
      'A token that is not exactly what createSession issued simply finds no key: return null, never throw. Checking its format first (43 base64url characters) saves a round trip.',
    ],
  },
  {
    id: '08',
    slug: 'rate-limit',
    title: 'A fixed-window rate limiter',
    file: 'rate-limit.ts',
    exports: ['hit'],
    lesson: '07',
    hints: [
      'Count with INCR: it is atomic, so 100 concurrent hits get 100 distinct numbers.',
      'INCR and EXPIRE must travel together: a MULTI transaction, or a small Lua script, so a counter never lives without a TTL.',
      'Use `EXPIRE key window NX` (Redis 7 and newer; it sets the expiry only when there is none) so later hits do not push the window forward.',
      'Add `PTTL key` to the same MULTI: when a hit is refused, `Math.ceil(pttl / 1000)` is the Retry-After. Clamp `remaining` at 0 once the count passes the limit.',
    ],
  },
  {
    id: '09',
    slug: 'job-queue',
    title: 'A reliable job queue',
    file: 'queue.ts',
    exports: ['enqueue', 'reserve', 'ack', 'recover'],
    lesson: '07',
    hints: [
      'LPUSH onto the list and take from the other end: that is first in, first out.',
      "BLMOVE atomically moves the job to `<queue>:processing` while handing it to you, so a worker's crash cannot lose it (Redis losing its data still can).",
      'A blocking command holds its connection: run it on `cache.duplicate()`, not on the shared client, give the duplicate its own `error` listener (it inherits none), and close it afterwards.',
      '`ack` is LREM of that exact job (`JSON.stringify(job)`, count 1) from the processing list.',
      '`recover` repeats `LMOVE <queue>:processing <queue> LEFT RIGHT` until it returns null, counting the moves: the jobs go back to the front of the queue.',
    ],
  },
  {
    id: '10',
    slug: 'pub-sub',
    title: 'Fan-out with pub/sub',
    file: 'notify.ts',
    exports: ['publish', 'subscribe'],
    lesson: '07',
    hints: [
      'PUBLISH returns the number of subscribers that received the message.',
      'A subscribed connection can do nothing else: subscribe on `cache.duplicate()` (with its own `error` listener: it inherits none), never on the shared client.',
      'The listener receives strings: `JSON.parse` each message before calling the handler (and ignore one that does not parse).',
      'unsubscribe() should unsubscribe and then close that dedicated connection (`await sub.close()`).',
    ],
  },
  {
    id: '11',
    slug: 'leaderboard',
    title: 'A leaderboard with sorted sets',
    file: 'leaderboard.ts',
    exports: ['addPoints', 'top', 'rankOf'],
    lesson: '07',
    hints: [
      'ZINCRBY adds to a score and returns the new one.',
      'Highest first means the REV variants: `zRangeWithScores(board, 0, n - 1, { REV: true })` and ZREVRANK.',
      'Ranks are 1-based for people: add one to what Redis returns, and return null when ZREVRANK says the player is unknown.',
      'Ties: let Redis order them. The position in `ZRANGE … REV` is exactly what ZREVRANK returns, so top() (rank = index + 1) and rankOf() agree. `n` of 0 must not become `ZRANGE 0 -1`, the whole board.',
    ],
  },
  {
    id: '12',
    slug: 'reserve-stock',
    title: 'Reserve stock, many hands at once',
    file: 'reserve-stock.ts',
    exports: ['reserveStock', 'UnknownSkuError'],
    lesson: '08',
    hints: [
      'Decide nothing on a number you read without a lock: either take the units in one guarded UPDATE, whose WHERE holds only while enough is left and whose RETURNING says what remains (no row back means not enough, or no such sku: a plain SELECT tells which), or lock the row first with `SELECT available … FOR UPDATE`.',
      'Let the primary key decide whether a request id is new: `INSERT INTO reservations … ON CONFLICT (request_id) DO NOTHING RETURNING request_id` returns no row for a repeat, and a second caller with the same id waits for the first to commit. Claim the id before you look at the stock, and ROLLBACK when the stock says no, so a refusal leaves no row.',
      "Right after BEGIN, `SET LOCAL lock_timeout = '1s'`: a statement that waits longer for a lock fails with 55P03 instead of hanging. SET LOCAL ends with the transaction; a plain SET stays on the pooled connection for whoever borrows it next.",
      "Put one attempt in a function of its own that takes a client, runs BEGIN … COMMIT, ROLLBACKs on any error and releases the client in `finally`. Call it in a loop: when the error's `code` is '40001' or '40P01' and fewer than 5 attempts were made, call it again (a fresh BEGIN); any other error, or the 5th failure, is rethrown as it is.",
    ],
  },
  {
    id: '13',
    slug: 'batch-read',
    title: 'Read a hundred users in one trip',
    file: 'get-users.ts',
    exports: ['getUsers'],
    lesson: '09',
    hints: [
      'Ask Redis once: `cache.mGet(keys)` answers in the order of the keys, with `null` for every key it does not hold. An empty list needs neither store: return [] before anything else (MGET with no key at all is an error).',
      'Collect the misses (a `null`, or a value that does not parse as JSON) and read them all with one query, `SELECT id, name, email FROM users WHERE id = ANY($1)`, passing the ids as one array: pg sends a JavaScript array as a Postgres array. No miss, no query.',
      'Postgres returns the rows in whatever order suits it, and once per row however often an id was asked: put them in a `Map` by id and build the answer with `ids.map(...)`, `null` where nothing was found.',
      "Send the fills together: start every `cache.set(key, json, { expiration: { type: 'EX', value: 300 } })` before awaiting any (then `await Promise.all(...)`), or chain them on `cache.multi()` and `exec()` it. A SET awaited inside the loop pays one round trip per user.",
    ],
  },
  {
    id: '14',
    slug: 'stream-worker',
    title: 'A stream worker that survives a crash',
    file: 'worker.ts',
    exports: ['enqueue', 'startWorker'],
    lesson: '11',
    hints: [
      'One entry per job: `cache.xAdd(stream, "*", { job: JSON.stringify(job) }, { TRIM: { strategy: "MAXLEN", strategyModifier: "~", threshold: 1000 } })` returns its id.',
      'Create the group from the start of the stream, `xGroupCreate(stream, group, "0", { MKSTREAM: true })`, and swallow only the error that starts with BUSYGROUP: the group exists already.',
      'The blocking read gets a connection of its own, made once in startWorker: `cache.duplicate()`, with `.on("error", …)` before `connect()` (a duplicate inherits no listener), and closed by stop(). Catch a failed command inside the loop, wait a moment and go on: the duplicate reconnects by itself.',
      'Each turn: `xAutoClaim(stream, group, consumer, claimIdleMs, "0-0", { COUNT: 1 })` takes over what another worker (or your own failed try) left idle long enough, then `xReadGroup(group, consumer, { key: stream, id: ">" }, { COUNT: 1, BLOCK: blockMs })` on the duplicate waits for a new job.',
      'XACK only after the handler resolved. When it throws, ask Redis how many times the entry was delivered, `xPendingRange(stream, group, id, id, 1)` → `deliveriesCounter` (a counter in your process forgets the deliveries another worker made); from maxDeliveries on, XADD `<stream>:dead` with `job` and `error`, then XACK, both in one MULTI.',
    ],
  },
  {
    id: '15',
    slug: 'outbox',
    title: 'The transactional outbox and its relay',
    file: 'outbox.ts',
    exports: ['updateUser', 'relayOnce'],
    lesson: '12',
    hints: [
      'Two functions, two jobs: updateUser writes the change and its event in one transaction and never touches Redis; relayOnce carries committed events to Redis afterwards.',
      'A transaction lives on one client: `const client = await db.connect()`, then BEGIN, the UPDATE, the INSERT INTO outbox and COMMIT through that client. Two `db.query()` calls may run on two connections, in two transactions.',
      "INSERT the outbox row after the `UPDATE … RETURNING id, name, email`, with that row as its payload: the UPDATE's row lock makes a second writer of the same user wait for your COMMIT, so one user's events get ids in commit order. No row came back: write no event, return null.",
      'relayOnce takes its batch inside a transaction: the unsent rows in id order, no more than batchSize of them, locked with FOR UPDATE SKIP LOCKED. The row locks last until COMMIT, so a second relay skips these rows instead of sending them too, or waiting for them.',
      'Publish, invalidate, then mark: XADD each row to `user-events` with the id `*`, DEL the `user:<id>` keys, then `UPDATE outbox SET sent_at = now() WHERE id = ANY($1)` with exactly the ids you took, and COMMIT. Marking first loses events when Redis fails; marking `id <= the last id` marks rows that committed late and were never sent.',
      'Every failure ends with ROLLBACK and a release (`release(err)` if even the ROLLBACK fails), then rejects: the batch stays pending and the next relay sends it again. That is at least once: consumers skip an event_id they have already applied.',
    ],
  },
] as const satisfies readonly Exercise[];

/** `exercises/04-cache-aside`, `solutions/04-cache-aside`: the folder name both trees share. */
export function folderOf(exercise: Pick<Exercise, 'id' | 'slug'>): string {
  return `${exercise.id}-${exercise.slug}`;
}

/** The docs page of a lesson, as a site path without extension, e.g. `/lessons/04-cache-aside`. */
export function lessonPath(lessonId: string): string {
  const lesson = lessons.find((l) => l.id === lessonId);
  if (!lesson) throw new Error(`manifest: no lesson with id "${lessonId}"`);
  return `/lessons/${lesson.id}-${lesson.slug}`;
}

/** Finds an exercise by number ("4", "04") or slug ("cache-aside", "04-cache-aside"). */
export function findExercise(selector: string): Exercise | undefined {
  const s = selector.trim().toLowerCase();
  return exercises.find((e) => e.id === s.padStart(2, '0') || e.slug === s || folderOf(e) === s);
}
