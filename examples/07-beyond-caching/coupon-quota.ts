// Lesson 07 · A fixed window: each shopper may redeem 3 coupons an
// hour. INCR counts atomically; EXPIRE … NX (Redis 7 and newer)
// starts the hour's clock on its first redemption only; PTTL says
// when the hour ends. One MULTI sends the three together and Redis
// runs them as one unit, so no counter ever lives without its
// expiry.
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  try {
    // #region quota
    const perHour = 3;

    async function redeemCoupon(shopper: string) {
      const counter = `redeemed:${shopper}`;
      const [count, clockStarted, msLeft] = await cache
        .multi()
        .incr(counter)
        .expire(counter, 60 * 60, 'NX') // 1 on the first, then 0
        .pTTL(counter)
        .exec();
      const used = Number(count);
      return {
        ok: used <= perHour,
        left: Math.max(0, perHour - used),
        retryInMinutes:
          used <= perHour ? 0 : Math.ceil(Number(msLeft) / 60_000),
        clockStarted: Number(clockStarted) === 1,
      };
    }
    // #endregion quota

    // #region redeem
    for (let i = 1; i <= 4; i += 1) {
      const r = await redeemCoupon('shopper-12');
      const clock = `clock started: ${r.clockStarted}`;
      const wait = `${r.retryInMinutes} min left`;
      console.log(
        r.ok
          ? `redemption ${i}: ok, ${r.left} left (${clock})`
          : `redemption ${i}: refused, ${wait}`,
      );
    }
    console.log(`TTL ${await cache.ttl('redeemed:shopper-12')} s`);

    const rush = await Promise.all(
      Array.from({ length: 20 }, () => redeemCoupon('shopper-40')),
    );
    const granted = rush.filter((r) => r.ok).length;
    console.log(`20 redemptions at once: ${granted} granted`);
    // #endregion redeem
  } finally {
    await cache.del(['redeemed:shopper-12', 'redeemed:shopper-40']);
  }
}) satisfies Example;

// Output:
// redemption 1: ok, 2 left (clock started: true)
// redemption 2: ok, 1 left (clock started: false)
// redemption 3: ok, 0 left (clock started: false)
// redemption 4: refused, 60 min left
// TTL 3600 s
// 20 redemptions at once: 3 granted
