// The console's endpoints on the docs server (`npm run docs` only; a static build has none), for
// the docs server's own pages alone: a request whose Host is not the server's own address (DNS
// rebinding) or whose Origin is another site is refused, and the server listens on 127.0.0.1. The
// console's sandbox (tooling/console.ts) is made when the server starts and given back when it
// stops; a server killed outright leaves it to the next start, which sweeps it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin, ViteDevServer } from 'vite';
import { Console } from '../../tooling/console.ts';
import { runningServices } from '../../tooling/services.ts';

export const CONSOLE_PATH = '/__course/console';

/** Why the console is off, in one line, with what to run. */
export const CONSOLE_OFF =
  'The console is off: it needs Postgres and Redis that stay up while npm run docs runs. Set DATABASE_URL and REDIS_URL (docker compose up -d gives both), or run npm run services:start, then start npm run docs again.';

type State =
  { status: 'starting' } | { status: 'on'; console: Console } | { status: 'off'; reason: string; retry?: boolean };

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

/** The hosts this server answers to, by the port it listens on. */
function ownHosts(server: ViteDevServer): Set<string> {
  const address = server.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : server.config.server.port;
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/** Why a request may not use the console, or undefined when it may. */
export function refusal(req: IncomingMessage, hosts: Set<string>): string | undefined {
  const host = req.headers.host ?? '';
  if (!hosts.has(host)) return `Host ${JSON.stringify(host)} is not this docs server`;
  const origin = req.headers.origin;
  if (req.method !== 'GET' && origin === undefined) return 'no Origin: the console answers its own pages only';
  if (origin !== undefined && !hosts.has(origin.replace(/^http:\/\//, '')))
    return `Origin ${JSON.stringify(origin)} is not this docs server`;
  if (req.method !== 'GET' && !/^application\/json\b/.test(req.headers['content-type'] ?? ''))
    return 'the console takes JSON';
  return undefined;
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 64_000) throw new Error('request too large');
  }
  const parsed: unknown = JSON.parse(text || '{}');
  return typeof parsed === 'object' && parsed ? (parsed as Record<string, unknown>) : {};
}

export function consolePlugin(): Plugin {
  return {
    name: 'course:console',
    apply: 'serve',
    configureServer(server) {
      let state: State = { status: 'starting' };
      // Servers not found is asked again, at most every 2 s, when a page asks: they may have been
      // started since, or the first probe timed out while Vite was busy optimizing dependencies.
      let triedAt = 0;
      const start = async () => {
        triedAt = Date.now();
        const services = await runningServices();
        if (!services) return void (state = { status: 'off', reason: CONSOLE_OFF, retry: true });
        try {
          state = { status: 'on', console: await Console.open(services) };
        } catch (error) {
          state = { status: 'off', reason: `The console could not make its sandbox: ${(error as Error).message}` };
        }
      };
      let started = start();
      let closing: Promise<void> | undefined;
      const close = () => (closing ??= started.then(() => (state.status === 'on' ? state.console.close() : undefined)));
      // The server's close (a restart, or SIGTERM, which Vite answers by closing the server and then
      // exiting) gives the sandboxes back first. (Not a buildEnd hook: Vite's dependency scan closes
      // a plugin container of its own while starting, which would end the console at once.)
      const closeServer = server.close.bind(server);
      server.close = async () => {
        await close();
        return closeServer();
      };
      // Ctrl-C, or the terminal closed: the same, before the process ends.
      for (const signal of ['SIGINT', 'SIGHUP'] as const)
        process.once(signal, () => void close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 129)));

      server.middlewares.use(CONSOLE_PATH, (req, res) => {
        const refused = refusal(req, ownHosts(server));
        if (refused) return send(res, 403, { error: `Refused: ${refused}.` });
        void (async () => {
          await started;
          if (state.status === 'off' && state.retry && !closing && Date.now() - triedAt > 2000)
            await (started = start());
          const path = (req.url ?? '/').split('?')[0];
          if (path === '/status')
            return send(res, 200, state.status === 'on' ? { status: 'on', runs: state.console.runIds } : state);
          if (req.method !== 'POST') return send(res, 405, { error: 'POST only' });
          if (state.status !== 'on')
            return send(res, 503, { error: state.status === 'off' ? state.reason : 'starting' });
          const body = await bodyOf(req);
          const input = typeof body.input === 'string' ? body.input : '';
          switch (path) {
            case '/redis':
              return send(res, 200, await state.console.redis(input));
            case '/sql':
              return send(res, 200, await state.console.query(input));
            case '/reset':
              await state.console.reset();
              return send(res, 200, { ok: true });
            case '/example':
              return send(res, 200, await state.console.runExample(input));
            default:
              return send(res, 404, { error: 'no such console endpoint' });
          }
        })().catch((error: Error) => send(res, 500, { error: error.message }));
      });
    },
  };
}
