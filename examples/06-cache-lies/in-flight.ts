// Lesson 06 · Coalescing misses: fifty callers ask for the same
// exchange rate at the same moment. Each reading for itself sends
// fifty queries; sharing the read in flight sends one. The Map
// holds a read only while it runs, so a later call reads afresh.
import type { Example } from '../../lib/example.ts';

export default (async ({ db }) => {
  await db.query(`CREATE TABLE rates (currency text PRIMARY KEY,
    per_euro numeric NOT NULL)`);
  await db.query("INSERT INTO rates VALUES ('USD', 1.0832)");
  let queries = 0;
  async function readRate(currency: string) {
    queries += 1;
    const { rows } = await db.query(
      'SELECT per_euro FROM rates WHERE currency = $1',
      [currency],
    );
    return (rows[0]?.per_euro as string | undefined) ?? null;
  }
  const fifty = <T>(call: () => Promise<T>) =>
    Promise.all(Array.from({ length: 50 }, call));
  try {
    // #region in-flight
    const inFlight = new Map<string, Promise<string | null>>();

    function sharedRead(currency: string) {
      const running = inFlight.get(currency);
      if (running) return running; // join the read under way
      const read = readRate(currency).finally(() =>
        inFlight.delete(currency),
      );
      inFlight.set(currency, read);
      return read;
    }
    // #endregion in-flight

    // #region fifty
    await fifty(() => readRate('USD'));
    console.log(`50 callers, each reading: ${queries} queries`);

    queries = 0;
    const answers = await fifty(() => sharedRead('USD'));
    console.log(`50 callers, one shared read: ${queries} query`);
    const right = answers.filter((a) => a === '1.0832').length;
    console.log(`callers answered 1.0832: ${right}`);
    console.log(`reads left in the Map: ${inFlight.size}`);

    await sharedRead('USD');
    console.log(`a later call reads again: ${queries} queries`);
    // #endregion fifty
  } finally {
    await db.query('DROP TABLE rates');
  }
}) satisfies Example;

// Output:
// 50 callers, each reading: 50 queries
// 50 callers, one shared read: 1 query
// callers answered 1.0832: 50
// reads left in the Map: 0
// a later call reads again: 2 queries
