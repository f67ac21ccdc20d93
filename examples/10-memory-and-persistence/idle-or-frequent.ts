// Lesson 10 · How Redis picks what to evict: for every key it keeps
// either when it was last touched (the LRU policies, noeviction
// and the others) or a small counter of how often it is touched
// (the LFU policies), never both. OBJECT IDLETIME reads the first,
// OBJECT FREQ the second, and each refuses when the policy keeps
// the other. Which one answers depends on the server's policy, so
// the output shows only what holds on every server.
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  await cache.set('rate:eur-usd', '1.0842', {
    expiration: { type: 'EX', value: 60 },
  });
  try {
    // #region ask
    /** A number, or the error text of a refusal. */
    async function ask(read: () => Promise<number | null>) {
      try {
        return await read();
      } catch (error) {
        return (error as Error).message;
      }
    }

    await cache.get('rate:eur-usd'); // a read touches the key
    const idle = await ask(() =>
      cache.objectIdleTime('rate:eur-usd'),
    );
    const freq = await ask(() => cache.objectFreq('rate:eur-usd'));
    // #endregion ask

    // #region check
    const text = await cache.info('memory');
    const lfu = /maxmemory_policy:\w+-lfu/.test(text);
    const answered = (v: unknown) => typeof v === 'number';
    console.log(
      `exactly one answered: ${answered(idle) !== answered(freq)}`,
    );
    console.log(
      `FREQ answered exactly under an LFU policy: ${
        answered(freq) === lfu
      }`,
    );
    const refusal = String(answered(idle) ? freq : idle);
    console.log(
      `the refusal names the policy: ${refusal.includes(
        'maxmemory policy',
      )}`,
    );
    // #endregion check
  } finally {
    await cache.del('rate:eur-usd');
  }
}) satisfies Example;

// Output:
// exactly one answered: true
// FREQ answered exactly under an LFU policy: true
// the refusal names the policy: true
