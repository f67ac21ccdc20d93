// The harness's own small servers (gates, fault proxies) listen on a free loopback port; a
// server URL is pointed at one by swapping its host and port.
import type { Server } from 'node:net';

/** Starts `server` on a free port of 127.0.0.1 and resolves with that port. */
export async function listenLocally(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** `serverUrl` with its host and port replaced by 127.0.0.1:`port`. */
export function urlThrough(serverUrl: string, port: number): string {
  const u = new URL(serverUrl);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}
