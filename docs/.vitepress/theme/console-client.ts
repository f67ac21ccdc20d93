// The page's side of the console: whether the docs server has one (fetched once per page load),
// and requests to it. A static build has no docs server: the console says so and stays off.
import { reactive } from 'vue';
import { withBase } from 'vitepress';

export const consoleState = reactive({
  /** 'unknown' until asked; 'on' when the docs server's console answers; 'off' with a reason. */
  status: 'unknown' as 'unknown' | 'on' | 'off',
  reason: '',
});

/** Why the console is off on a page built for the web (no docs server behind it). */
export const STATIC_OFF =
  'The console works while npm run docs runs on your machine, against your own Postgres and Redis.';

let asked: Promise<void> | undefined;

/** Asks the docs server once whether its console is on. */
export function askConsole(): Promise<void> {
  if (!import.meta.env.DEV) {
    Object.assign(consoleState, { status: 'off', reason: STATIC_OFF });
    return Promise.resolve();
  }
  asked ??= (async () => {
    for (let tries = 0; tries < 40; tries++) {
      try {
        const reply = (await (await fetch(withBase('/__course/console/status'), { cache: 'no-store' })).json()) as {
          status: string;
          reason?: string;
        };
        if (reply.status === 'starting') {
          await new Promise((r) => setTimeout(r, 500));
          continue;
        }
        Object.assign(
          consoleState,
          reply.status === 'on' ? { status: 'on', reason: '' } : { status: 'off', reason: reply.reason ?? '' },
        );
        return;
      } catch {
        break;
      }
    }
    Object.assign(consoleState, { status: 'off', reason: STATIC_OFF });
  })();
  return asked;
}

/** Sends one request to the console; its JSON answer, or an error with the server's words. */
export async function consoleRequest<T>(path: string, input?: string): Promise<T> {
  const response = await fetch(withBase(`/__course/console/${path}`), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input }),
  });
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}
