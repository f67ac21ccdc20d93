// Exceptions nobody caught: a node-redis client whose connection drops and that has no `error`
// listener throws from inside its socket's events, which would end a real application.

/**
 * Runs `fn` with every exception nobody caught recorded instead of ending the process: a node-redis
 * client whose connection drops and that has no `error` listener throws from inside its socket's
 * events. Vitest's own listeners are put back afterwards.
 */
export async function uncaughtDuring(fn: () => Promise<void>): Promise<unknown[]> {
  const theirs = process.listeners('uncaughtException');
  const seen: unknown[] = [];
  const record = (error: unknown) => seen.push(error);
  process.removeAllListeners('uncaughtException');
  process.on('uncaughtException', record);
  try {
    await fn();
  } finally {
    process.off('uncaughtException', record);
    for (const listener of theirs) process.on('uncaughtException', listener);
  }
  return seen;
}
