// right: raw commands through sendCommand, a class, and stop() that closes the line under a waiting read
import type { Cache } from '../../../../lib/stores.ts';

export type Json =
  | string
  | number
  | boolean
  | null
  | Json[]
  | { [key: string]: Json };
export type Job = { [key: string]: Json };

export interface WorkerOptions {
  stream: string;
  group: string;
  consumer: string;
  handler: (job: Job, id: string) => Promise<void>;
  maxDeliveries: number;
  claimIdleMs: number;
  blockMs: number;
}

export interface Worker {
  stop(): Promise<void>;
}

type RawEntry = [string, string[]];

export async function enqueue(
  cache: Cache,
  stream: string,
  job: Job,
): Promise<string> {
  return cache.sendCommand<string>([
    'XADD',
    stream,
    'MAXLEN',
    '~',
    '1000',
    '*',
    'job',
    JSON.stringify(job),
  ]);
}

function fieldsOf(raw: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2)
    fields[raw[i]!] = raw[i + 1]!;
  return fields;
}

class StreamWorker implements Worker {
  private running = true;
  private readonly line: Cache;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly cache: Cache,
    private readonly o: WorkerOptions,
  ) {
    this.line = cache.duplicate();
    this.line.on('error', () => {});
  }

  async begin(): Promise<void> {
    await this.line.connect();
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    // Closing the line ends a read that is still waiting.
    if (this.line.isOpen) this.line.destroy();
    await this.done;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        await this.claimOne();
        if (this.running) await this.readOne();
      } catch {
        if (this.running)
          await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private async claimOne(): Promise<void> {
    const { stream, group, consumer, claimIdleMs } = this.o;
    const reply = await this.cache.sendCommand<
      [string, RawEntry[], string[]]
    >([
      'XAUTOCLAIM',
      stream,
      group,
      consumer,
      String(claimIdleMs),
      '0-0',
      'COUNT',
      '1',
    ]);
    for (const [id, raw] of reply[1]) {
      const pending = await this.cache.sendCommand<
        [string, string, number, number][]
      >(['XPENDING', stream, group, id, id, '1']);
      await this.handle(id, fieldsOf(raw), pending[0]?.[3] ?? 1);
    }
  }

  private async readOne(): Promise<void> {
    const { stream, group, consumer, blockMs } = this.o;
    const reply = await this.line.sendCommand<
      [string, RawEntry[]][] | null
    >([
      'XREADGROUP',
      'GROUP',
      group,
      consumer,
      'COUNT',
      '1',
      'BLOCK',
      String(blockMs),
      'STREAMS',
      stream,
      '>',
    ]);
    for (const [id, raw] of reply?.[0]?.[1] ?? [])
      await this.handle(id, fieldsOf(raw), 1);
  }

  private async handle(
    id: string,
    fields: Record<string, string>,
    deliveries: number,
  ): Promise<void> {
    const { stream, group } = this.o;
    try {
      await this.o.handler(JSON.parse(fields.job ?? '') as Job, id);
    } catch (error) {
      if (deliveries < this.o.maxDeliveries) return;
      await this.cache.sendCommand([
        'XADD',
        `${stream}:dead`,
        '*',
        'job',
        fields.job ?? '',
        'error',
        (error as Error).message,
      ]);
      await this.cache.sendCommand(['XACK', stream, group, id]);
      return;
    }
    await this.cache.sendCommand(['XACK', stream, group, id]);
  }
}

export async function startWorker(
  cache: Cache,
  options: WorkerOptions,
): Promise<Worker> {
  try {
    await cache.sendCommand([
      'XGROUP',
      'CREATE',
      options.stream,
      options.group,
      '0',
      'MKSTREAM',
    ]);
  } catch (error) {
    if (!/BUSYGROUP/.test((error as Error).message)) throw error;
  }
  const worker = new StreamWorker(cache, options);
  await worker.begin();
  return worker;
}
