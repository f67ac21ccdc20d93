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
