// Who is connected to Redis as the learner's user, as CLIENT LIST tells it: to see which
// connection a blocking command or a subscription really uses, and whether it was closed.
import type { Course } from './course.ts';

export interface RedisConnection {
  /** CLIENT ID of the connection. */
  id: number;
  addr: string;
  /** CLIENT LIST flags: `b` while blocked in BLPOP/BLMOVE…, `P` for a pub/sub subscriber. */
  flags: string;
  /** Channels it is subscribed to. */
  sub: number;
  /** Patterns it is subscribed to. */
  psub: number;
  /** The last command it ran, lower-cased (`blmove`, `subscribe`, …). */
  cmd: string;
}

/** The open connections of the learner's Redis user, as the server lists them. */
export async function learnerConnections(course: Course): Promise<RedisConnection[]> {
  const text = String(await course.redis.sendCommand(['CLIENT', 'LIST']));
  return text
    .split('\n')
    .map(
      (line) =>
        Object.fromEntries(
          line
            .trim()
            .split(' ')
            .map((pair) => {
              const at = pair.indexOf('=');
              return [pair.slice(0, at), pair.slice(at + 1)];
            }),
        ) as Record<string, string | undefined>,
    )
    .filter((f) => f.user === course.redisUser)
    .map((f) => ({
      id: Number(f.id),
      addr: f.addr ?? '',
      flags: f.flags ?? '',
      sub: Number(f.sub ?? 0),
      psub: Number(f.psub ?? 0),
      cmd: f.cmd ?? '',
    }));
}

/** "id 12 (last command get), id 14 (blocked in blmove)": a short picture of some connections. */
export function describeConnections(connections: RedisConnection[]): string {
  if (connections.length === 0) return 'no connection';
  return connections
    .map(
      (c) =>
        `id ${c.id} (${c.flags.includes('b') ? `blocked in ${c.cmd}` : c.sub + c.psub > 0 ? `subscribed to ${c.sub + c.psub} channel(s)` : `last command ${c.cmd}`})`,
    )
    .join(', ');
}
