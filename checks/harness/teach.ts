// How a check speaks to the learner: what the lesson expected, what the code did, in plain words.
// The reporter prints a CheckFailure's message as it is, without a stack trace, and adds the
// lesson to read from the manifest.
import { inspect } from 'node:util';

/** A stack frame in the code under check: `exercises/04-cache-aside/get-user.ts:12`. */
export const LEARNER_FRAME = /((?:exercises|solutions)\/\d\d-[a-z-]+\/[\w.-]+\.ts):(\d+)/;

export class CheckFailure extends Error {
  override name = 'CheckFailure';
}

/** Fails the check unless `ok`, saying what was expected and what was observed. */
export function demand(ok: unknown, expected: string, observed: string | (() => string)): asserts ok {
  if (ok) return;
  const seen = typeof observed === 'function' ? observed() : observed;
  throw new CheckFailure(`Expected: ${expected}\nObserved: ${seen}`);
}

/** A compact, one-line picture of a value for "Observed:" lines. */
export function show(value: unknown, max = 300): string {
  const text =
    typeof value === 'string'
      ? JSON.stringify(value)
      : inspect(value, { depth: 4, breakLength: Infinity, compact: true });
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The message of anything thrown, as a learner would want to read it. */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const text = `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
    if (/process\.exit unexpectedly called/.test(error.message)) {
      return `${text} (a function of an application's data layer returns or throws; ending the process would end the application)`;
    }
    if (/NOPERM/.test(error.message)) {
      return (
        `${text} (your code runs in a sandbox: its Redis user may use this exercise's own database only, so SELECT of another, ` +
        `FLUSHALL, MOVE, COPY, SWAPDB, CONFIG, ACL and the like are refused; a check may also refuse commands on purpose to see how the code copes)`
      );
    }
    return text;
  }
  return show(error);
}

export type Settled<T> = { ok: true; value: T; ms: number } | { ok: false; error: unknown; ms: number };

export const DEFAULT_LIMIT_MS = 4000;

/**
 * Runs the learner's code, never letting it hang the check: if it has not settled within
 * `limitMs` the check fails, naming the call, instead of waiting for Vitest's timeout.
 */
export async function settle<T>(
  label: string,
  run: () => Promise<T> | T,
  limitMs = DEFAULT_LIMIT_MS,
): Promise<Settled<T>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HungError(label, limitMs)), limitMs);
  });
  try {
    const value = await Promise.race([Promise.resolve().then(run), timeout]);
    return { ok: true, value, ms: performance.now() - started };
  } catch (error) {
    if (error instanceof HungError) throw new CheckFailure(error.message);
    return { ok: false, error, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

class HungError extends Error {
  constructor(label: string, limitMs: number) {
    super(
      `Expected: ${label} to settle (resolve or reject) within ${limitMs / 1000} s.\n` +
        `Observed: it was still pending after ${limitMs / 1000} s. A promise that never settles usually means an ` +
        `await on something that never happens: a client that retries forever, a pooled client never released, ` +
        `or a missing return.`,
    );
  }
}

/** Runs the learner's code and returns its value; if it throws, the check fails saying so. */
export async function call<T>(label: string, run: () => Promise<T> | T, limitMs = DEFAULT_LIMIT_MS): Promise<T> {
  const result = await settle(label, run, limitMs);
  if (!result.ok) {
    throw new CheckFailure(
      `Expected: ${label} to succeed.\nObserved: it threw ${errorText(result.error)}${whereThrown(result.error)}`,
    );
  }
  return result.value;
}

/** True for the error an untouched stub throws. */
export function isTodo(error: unknown): boolean {
  return error instanceof Error && /^TODO\b/.test(error.message);
}

/** Every message in an error and its causes, joined: wrapping an error must not lose what Redis said. */
export function messagesOf(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; depth += 1) {
    parts.push(e instanceof Error ? e.message : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(' <- ');
}

/**
 * Runs the learner's code, demanding that it rejects (and, with `matches`, with the right error);
 * returns the error. The stub's own "TODO" error never counts.
 */
export async function rejects(
  label: string,
  why: string,
  run: () => Promise<unknown> | unknown,
  matches?: { test(error: unknown): boolean; expected: string },
  limitMs = DEFAULT_LIMIT_MS,
): Promise<unknown> {
  const result = await settle(label, run, limitMs);
  if (result.ok) {
    throw new CheckFailure(`Expected: ${label} to reject: ${why}\nObserved: it resolved to ${show(result.value)}`);
  }
  if (isTodo(result.error)) {
    throw new CheckFailure(
      `Expected: ${label} to reject: ${why}\nObserved: it threw the stub's own error, ${errorText(result.error)}; write the code first.`,
    );
  }
  if (matches && !matches.test(result.error)) {
    throw new CheckFailure(
      `Expected: ${label} to reject with ${matches.expected}\nObserved: it rejected with ${errorText(result.error)}${whereThrown(result.error)}`,
    );
  }
  return result.error;
}

/** Matches an error whose message (or a cause's) contains `text`. */
export function errorWith(text: string | RegExp, expected: string) {
  return {
    test: (error: unknown) =>
      typeof text === 'string' ? messagesOf(error).includes(text) : text.test(messagesOf(error)),
    expected,
  };
}

/** " (at exercises/04-cache-aside/get-user.ts:12)" when the error came from the learner's file. */
export function whereThrown(error: unknown): string {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const m = LEARNER_FRAME.exec(stack);
  return m ? ` (at ${m[1]}:${m[2]})` : '';
}

/**
 * Runs `fn` (a call of the code under check), waits `settleMs` more for what it sent without
 * awaiting, and returns its result with the promise rejections nobody handled meanwhile.
 */
export async function withUnhandled<T>(
  fn: () => Promise<T>,
  settle: number | (() => Promise<void>),
): Promise<{ result: T; unhandled: unknown[] }> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const result = await fn();
    if (typeof settle === 'number') await new Promise((resolve) => setTimeout(resolve, settle));
    else await settle();
    // A rejection is told unhandled once the microtasks of its turn have run.
    await new Promise((resolve) => setImmediate(resolve));
    return { result, unhandled };
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
}
