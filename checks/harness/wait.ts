// Waiting for something that happens a little later (a background cache write, a message on a
// channel, a key's expiry) without fixed sleeps: poll a condition, with a bound.

/** Polls `condition` every `intervalMs` until it holds or `limitMs` passes; says whether it held. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  limitMs = 2000,
  intervalMs = 25,
): Promise<boolean> {
  const deadline = performance.now() + limitMs;
  for (;;) {
    if (await condition()) return true;
    if (performance.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Lets what code sent on a Redis client without awaiting it be answered first (a cache fill, and
 * its refusal): Redis answers one connection's commands in order, so a round trip of our own on
 * that client comes back only after them, however busy the machine. A second round trip, a
 * moment later, takes in what was sent once the first answers had come (a write chained after
 * another await). The client's own failures are for the checks to see elsewhere.
 */
export async function afterUnawaited(
  cache: { sendCommand(args: string[]): Promise<unknown> },
  momentMs = 10,
): Promise<void> {
  const roundTrip = () => Promise.race([cache.sendCommand(['PING']).catch(() => undefined), sleep(1000)]);
  await roundTrip();
  await sleep(momentMs);
  await roundTrip();
}
