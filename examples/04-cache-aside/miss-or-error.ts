// Lesson 04 · A missing key is an answer, not a failure: GET resolves with null. A command Redis
// refuses is a failure: the promise rejects. And a note that is not JSON throws only when parsed.
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  try {
    // #region null-or-error
    const missing = await cache.get('price:unknown-sku');
    console.log(`GET of a missing key: ${missing}`);

    // a list, not a string: GET cannot read it
    await cache.rPush('basket:7', ['tea-01']);
    try {
      await cache.get('basket:7');
    } catch (error) {
      console.log(
        `GET of a list rejects: ${(error as Error).message}`,
      );
    }

    // an old format, not JSON
    await cache.set('price:tea-01', 'twelve fifty');
    try {
      JSON.parse((await cache.get('price:tea-01')) ?? '');
    } catch (error) {
      console.log(`parsing it throws: ${(error as Error).name}`);
    }
    // #endregion null-or-error
  } finally {
    await cache.del(['basket:7', 'price:tea-01']);
  }
}) satisfies Example;

// Output:
// GET of a missing key: null
// GET of a list rejects: WRONGTYPE Operation against a key holding the wrong kind of value
// parsing it throws: SyntaxError
