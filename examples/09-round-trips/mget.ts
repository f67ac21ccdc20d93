// Lesson 09 · MGET reads many sticky notes in one command: one answer
// per key, in the order of the keys, null where there is no string
// (a missing key, or a key of another type). With no key at all,
// Redis refuses the command.
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  try {
    // #region mget
    await cache.set('price:tea-01', '1250');
    await cache.set('price:tea-02', '890');
    await cache.hSet('price:tea-03', 'cents', '420'); // a hash

    const prices = await cache.mGet([
      'price:tea-02',
      'price:tea-99', // no such key
      'price:tea-01',
      'price:tea-02', // asked twice
      'price:tea-03', // not a string
    ]);
    console.log(prices);

    try {
      await cache.mGet([]);
    } catch (error) {
      console.log(`MGET of nothing: ${(error as Error).message}`);
    }
    // #endregion mget
  } finally {
    await cache.del([
      'price:tea-01',
      'price:tea-02',
      'price:tea-03',
    ]);
  }
}) satisfies Example;

// Output:
// [ '890', null, '1250', '890', null ]
// MGET of nothing: ERR wrong number of arguments for 'mget' command
