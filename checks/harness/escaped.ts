// What the code under check let escape: an exception nobody caught (an 'error' event emitted
// with no listener is thrown from inside a socket's event) and a promise rejection nobody
// handled (a ROLLBACK sent and never awaited). Either would end a real application; Vitest
// reports them after the file, against no check. A check that runs the code inside
// `escapedDuring` sees them itself, as its own verdict.

export interface Escaped<T> {
  /** What `fn` resolved with, or the error it threw (`threw: true`). */
  outcome: { threw: false; value: T } | { threw: true; error: unknown };
  /** Exceptions thrown out of event handlers and rejections nobody handled, in order. */
  escaped: { kind: 'uncaught exception' | 'unhandled rejection'; error: unknown }[];
}

const EVENTS = { uncaughtException: 'uncaught exception', unhandledRejection: 'unhandled rejection' } as const;

/**
 * Runs `fn`, then waits `afterMs` for what it left running, with every uncaught exception and
 * unhandled rejection recorded instead of ending the process or failing the file. The listeners
 * that were there before (Vitest's) are put back afterwards.
 */
export async function escapedDuring<T>(fn: () => Promise<T>, afterMs = 200): Promise<Escaped<T>> {
  const escaped: Escaped<T>['escaped'] = [];
  const theirs = new Map<keyof typeof EVENTS, NodeJS.UncaughtExceptionListener[]>();
  const ours = new Map<keyof typeof EVENTS, (error: unknown) => void>();
  for (const event of Object.keys(EVENTS) as (keyof typeof EVENTS)[]) {
    theirs.set(event, process.listeners(event as 'uncaughtException'));
    process.removeAllListeners(event);
    const record = (error: unknown) => escaped.push({ kind: EVENTS[event], error });
    ours.set(event, record);
    process.on(event as 'uncaughtException', record);
  }
  try {
    let outcome: Escaped<T>['outcome'];
    try {
      outcome = { threw: false, value: await fn() };
    } catch (error) {
      outcome = { threw: true, error };
    }
    await new Promise((resolve) => setTimeout(resolve, afterMs));
    // A rejection is told unhandled once the microtasks of its turn have run.
    await new Promise((resolve) => setImmediate(resolve));
    return { outcome, escaped };
  } finally {
    for (const event of Object.keys(EVENTS) as (keyof typeof EVENTS)[]) {
      process.off(event as 'uncaughtException', ours.get(event)!);
      for (const listener of theirs.get(event)!) process.on(event as 'uncaughtException', listener);
    }
  }
}

/** "uncaught exception: Socket closed unexpectedly; …", for an Observed: line. */
export function describeEscaped(escaped: Escaped<unknown>['escaped']): string {
  return escaped
    .slice(0, 3)
    .map((e) => `${e.kind}: ${e.error instanceof Error ? e.error.message : String(e.error)}`)
    .join('; ');
}
