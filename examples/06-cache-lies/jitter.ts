// Lesson 06 · Jittered TTLs: a hundred rates cached in the same
// moment with the same EX expire in the same second, and the misses
// all come together. A TTL drawn at random within ±10 % of an hour
// spreads those expiries over minutes.
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  const fixedKeys = Array.from(
    { length: 100 },
    (_, i) => `fx:F${i}`,
  );
  const jitterKeys = Array.from(
    { length: 100 },
    (_, i) => `fx:J${i}`,
  );
  const spreadOf = async (keys: string[]) => {
    const ms = await Promise.all(keys.map((k) => cache.pTTL(k)));
    return { min: Math.min(...ms), max: Math.max(...ms) };
  };
  try {
    // #region jitter
    const HOUR = 3600;
    /** An hour, give or take up to 10 %, drawn for each key. */
    const aboutAnHour = () =>
      HOUR + Math.round((Math.random() * 2 - 1) * 0.1 * HOUR);

    for (const key of fixedKeys)
      await cache.set(key, '1.0832', {
        expiration: { type: 'EX', value: HOUR },
      });
    for (const key of jitterKeys)
      await cache.set(key, '1.0832', {
        expiration: { type: 'EX', value: aboutAnHour() },
      });
    // #endregion jitter

    const fixed = await spreadOf(fixedKeys);
    const jittered = await spreadOf(jitterKeys);
    const sameSecond = fixed.max - fixed.min < 1000;
    const inBounds =
      jittered.min >= 3_239_000 && jittered.max <= 3_960_000;
    const overFive = jittered.max - jittered.min >= 300_000;
    console.log(`EX 3600: all expire in one second: ${sameSecond}`);
    console.log(`jittered: every TTL 3240–3960 s: ${inBounds}`);
    console.log(`jittered: spread over 5 min or more: ${overFive}`);
  } finally {
    await cache.del([...fixedKeys, ...jitterKeys]);
  }
}) satisfies Example;

// Output:
// EX 3600: all expire in one second: true
// jittered: every TTL 3240–3960 s: true
// jittered: spread over 5 min or more: true
