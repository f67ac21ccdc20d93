// Lesson 02 · Nothing listens on the port. With its default
// reconnect strategy, node-redis treats the refusal as a hiccup: it
// tries again and again, with a growing pause, and connect() waits
// all the while. With `reconnectStrategy: false` the first refusal
// is the answer, and connect() rejects with it at once.
import net from 'node:net';
import { createClient } from 'redis';
import type { Example } from '../../lib/example.ts';

/** A port where nothing listens: open a server there, close it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((ok) =>
    server.listen(0, '127.0.0.1', ok),
  );
  const { port } = server.address() as net.AddressInfo;
  await new Promise((ok) => server.close(ok));
  return port;
}

const sleep = (ms: number) =>
  new Promise((resolve) => setTimeout(resolve, ms));

export default (async () => {
  const port = await closedPort();

  // #region default
  const patient = createClient({
    socket: { host: '127.0.0.1', port },
  });
  const refusals = new Set<string>();
  let attempts = 0;
  patient.on('error', (error: NodeJS.ErrnoException) => {
    attempts += 1;
    refusals.add(error.code ?? error.message);
  });
  let settled = false;
  patient.connect().then(
    () => (settled = true),
    () => (settled = true),
  );
  await sleep(1000);
  console.log('default strategy, 1 s later:');
  console.log(`  connect() settled: ${settled}`);
  console.log(
    `  failed attempts: ${attempts > 2 ? 'more than 2' : attempts}`,
  );
  console.log(`  each one: ${[...refusals].join(', ')}`);
  patient.destroy(); // stop the retries
  // #endregion default

  // #region fail-fast
  const prompt = createClient({
    socket: { host: '127.0.0.1', port, reconnectStrategy: false },
  });
  prompt.on('error', () => {}); // the rejection below reports it
  const started = performance.now();
  try {
    await prompt.connect();
  } catch (error) {
    const ms = performance.now() - started;
    console.log('reconnectStrategy: false:');
    console.log(
      `  connect() rejected: ${(error as { code?: string }).code}`,
    );
    console.log(`  under 1 s: ${ms < 1000}`);
    console.log(`  client still open: ${prompt.isOpen}`);
  }
  // #endregion fail-fast
}) satisfies Example;

// Output:
// default strategy, 1 s later:
//   connect() settled: false
//   failed attempts: more than 2
//   each one: ECONNREFUSED
// reconnectStrategy: false:
//   connect() rejected: ECONNREFUSED
//   under 1 s: true
//   client still open: false
