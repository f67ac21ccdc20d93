// Lesson 07 · Sliding expiry: a tea shop's basket lives a while
// after its LAST look, not after its first. When the lifetime is
// known, GETEX reads the value and gives it its full TTL again in
// one command (Redis 6.2 and newer). The shop would keep a basket
// 30 minutes; here 1.5 seconds, so the example can watch it happen.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  try {
    // #region getex
    // 1.5 s here; 30 minutes in the shop
    const lifetime = { type: 'PX', value: 1500 } as const;
    await cache.set('basket:b-31', '["tea-01","tea-07"]', {
      expiration: lifetime,
    });

    await sleep(700);
    const look = await cache.getEx('basket:b-31', lifetime);
    const ttl = await cache.pTTL('basket:b-31');
    console.log(`looked at after 0.7 s: ${look}`);
    console.log(`TTL back to the full 1.5 s: ${ttl > 1400}`);

    await sleep(700); // 1.4 s since it was put: past its first TTL
    const again = await cache.getEx('basket:b-31', lifetime);
    console.log(`looked at again after 1.4 s: ${again !== null}`);

    await sleep(1800); // and now nobody looks for 1.8 s
    console.log(
      `after 1.8 s unseen: ${await cache.get('basket:b-31')}`,
    );
    // #endregion getex
  } finally {
    await cache.del('basket:b-31');
  }
}) satisfies Example;

// Output:
// looked at after 0.7 s: ["tea-01","tea-07"]
// TTL back to the full 1.5 s: true
// looked at again after 1.4 s: true
// after 1.8 s unseen: null
