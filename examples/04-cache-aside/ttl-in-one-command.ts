// Lesson 04 · The value and its TTL in one command. SET … EX (node-redis 5's `expiration` option)
// stores both at once. A plain SET leaves a key that never expires (TTL -1) until a second
// command, EXPIRE, arrives: if the process dies in between, it never does.
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  try {
    // #region ttl
    // SET banner:home "Spring sale" EX 120: value and TTL together
    await cache.set('banner:home', 'Spring sale', {
      expiration: { type: 'EX', value: 120 },
    });
    console.log(`home TTL ${await cache.ttl('banner:home')}`);

    // SET, and no TTL yet…
    await cache.set('banner:blog', 'New tea guide');
    console.log(`blog TTL ${await cache.ttl('banner:blog')}`);
    // …until this second command runs
    await cache.expire('banner:blog', 120);
    console.log(`blog TTL ${await cache.ttl('banner:blog')}`);
    // #endregion ttl
  } finally {
    await cache.del(['banner:home', 'banner:blog']);
  }
}) satisfies Example;

// Output:
// home TTL 120
// blog TTL -1
// blog TTL 120
