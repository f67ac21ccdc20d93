// A TCP proxy between the learner's code and a real server, so a check can cut the line,
// slow it down, or make the server seem gone, and can count the connections left open.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { listenLocally, urlThrough } from './local-listen.ts';

export type ProxyMode =
  /** Bytes flow both ways at once. */
  | 'pass'
  /** Every chunk from the server waits `delayMs` before it reaches the client. */
  | 'slow'
  /** Connections are accepted and then ignored: the server seems to hang. */
  | 'blackhole'
  /** Connections are closed as soon as they are accepted: the server seems to refuse. */
  | 'refuse';

export interface Proxy {
  readonly host: string;
  readonly port: number;
  mode: ProxyMode;
  delayMs: number;
  /** Client connections currently open through the proxy. */
  readonly open: number;
  /** Client connections accepted since the proxy started. */
  readonly accepted: number;
  /** Rewrites a server URL so that it goes through this proxy. */
  urlFor(serverUrl: string): string;
  /** Destroys every open connection (the learner's client sees the line drop). */
  cut(): void;
  close(): Promise<void>;
}

export async function startProxy(targetHost: string, targetPort: number): Promise<Proxy> {
  const pairs = new Set<{ client: Socket; server?: Socket }>();
  let accepted = 0;
  const state = { mode: 'pass' as ProxyMode, delayMs: 0 };
  const server: Server = createServer((client) => {
    accepted += 1;
    const pair: { client: Socket; server?: Socket } = { client };
    pairs.add(pair);
    client.on('error', () => {});
    client.on('close', () => {
      pairs.delete(pair);
      pair.server?.destroy();
    });
    if (state.mode === 'blackhole') return;
    if (state.mode === 'refuse') {
      client.destroy();
      return;
    }
    const upstream = connect({ host: targetHost, port: targetPort });
    pair.server = upstream;
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (chunk) => {
      if (state.mode === 'blackhole') return;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (state.mode === 'blackhole') return;
      if (state.mode === 'slow') setTimeout(() => client.writable && client.write(chunk), state.delayMs);
      else client.write(chunk);
    });
  });
  const port = await listenLocally(server);
  return {
    host: '127.0.0.1',
    port,
    get mode() {
      return state.mode;
    },
    set mode(m: ProxyMode) {
      state.mode = m;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    get open() {
      return pairs.size;
    },
    get accepted() {
      return accepted;
    },
    urlFor: (serverUrl: string) => urlThrough(serverUrl, port),
    cut() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.server?.destroy();
      }
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.server?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on which nothing listens: connecting to it is refused at once. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await listenLocally(s);
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
