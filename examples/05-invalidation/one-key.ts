// Lesson 05 · Invalidate the one key you changed. DEL of
// product:tea-01 removes that note and nothing else: the other
// products, the baskets and the sessions in the same Redis stay.
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  const keys = [
    'product:tea-01',
    'product:tea-02',
    'basket:7',
    'session:f3a9',
  ];
  try {
    for (const key of keys)
      await cache.set(key, 'a note', {
        expiration: { type: 'EX', value: 600 },
      });
    // #region one-key
    const removed = await cache.del('product:tea-01');
    console.log(`DEL product:tea-01 removed ${removed} key`);
    for (const key of keys)
      console.log(`${key.padEnd(15)} ${await cache.exists(key)}`);
    // #endregion one-key
  } finally {
    await cache.del(keys);
  }
}) satisfies Example;

// Output:
// DEL product:tea-01 removed 1 key
// product:tea-01  0
// product:tea-02  1
// basket:7        1
// session:f3a9    1
