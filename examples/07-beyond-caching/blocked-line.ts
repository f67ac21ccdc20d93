// Lesson 07 · Why a blocking command gets a connection of its own.
// A node-redis client is one connection, and Redis answers each
// connection's commands in order: while a BLMOVE waits on the
// shared client, every command sent after it waits too. With the
// BLMOVE on a duplicate, the shared client answers at once.
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  // #region blocked
  const since = performance.now();
  const waiting = cache.blMove(
    'prints:todo', // an empty queue: BLMOVE waits its full 1 s
    'prints:doing',
    'RIGHT',
    'LEFT',
    1,
  );
  await cache.ping(); // sent at once, answered only after BLMOVE
  const held = performance.now() - since;
  console.log(`PING behind BLMOVE on the shared client:`);
  console.log(`  answered after 0.9 s or more: ${held >= 900}`);
  await waiting;

  const line = cache.duplicate();
  line.on('error', (error: Error) => console.error(error.message));
  await line.connect();
  try {
    const from = performance.now();
    const waitingThere = line.blMove(
      'prints:todo',
      'prints:doing',
      'RIGHT',
      'LEFT',
      1,
    );
    await cache.ping();
    const quick = performance.now() - from < 500;
    console.log(`PING while BLMOVE waits on a duplicate:`);
    console.log(`  answered within 0.5 s: ${quick}`);
    await waitingThere;
  } finally {
    await line.close();
  }
  // #endregion blocked
}) satisfies Example;

// Output:
// PING behind BLMOVE on the shared client:
//   answered after 0.9 s or more: true
// PING while BLMOVE waits on a duplicate:
//   answered within 0.5 s: true
