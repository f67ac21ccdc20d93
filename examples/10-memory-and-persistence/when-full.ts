// Lesson 10 · What a full Redis does, policy by policy, and where
// this server's own settings are: INFO memory names its limit
// (maxmemory, 0 for none) and its policy (maxmemory_policy). The
// sandbox may read them but never change them (CONFIG SET is the
// server's owner's), so the output shows the explanation of each
// policy and only what holds on every server.
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  // #region info
  /** One section of INFO as a map: `maxmemory` → "0", … */
  async function info(
    section: string,
  ): Promise<Map<string, string>> {
    const text = await cache.info(section);
    const fields = new Map<string, string>();
    for (const line of text.split('\r\n')) {
      const at = line.indexOf(':');
      if (at > 0 && !line.startsWith('#'))
        fields.set(line.slice(0, at), line.slice(at + 1));
    }
    return fields;
  }
  // #endregion info

  // #region explain
  const ORDER: Record<string, string> = {
    lru: 'least recently used',
    lfu: 'least frequently used',
    lrm: 'least recently modified',
    random: 'at random',
    ttl: 'nearest expiry',
  };

  /** What a Redis at its maxmemory does on the next write. */
  function whenFull(policy: string): string {
    if (policy === 'noeviction') return 'refuses the write (OOM)';
    const [scope = '', how = ''] = policy.split('-');
    const which =
      scope === 'allkeys' ? 'any key' : 'a key with a TTL';
    return `evicts ${which}, ${ORDER[how] ?? '?'}`;
  }

  /** A queue or a session store needs every key kept. */
  const keepsEveryKey = (policy: string) => policy === 'noeviction';
  // #endregion explain

  // #region policies
  for (const policy of [
    'noeviction',
    'allkeys-lru',
    'allkeys-lfu',
    'volatile-lru',
    'volatile-ttl',
  ]) {
    const kept = keepsEveryKey(policy) ? 'yes' : 'no';
    console.log(
      `${policy}: ${whenFull(policy)}; keeps all: ${kept}`,
    );
  }
  // #endregion policies

  // #region live
  const memory = await info('memory');
  const policy = memory.get('maxmemory_policy') ?? '';
  const limit = Number(memory.get('maxmemory'));
  const used = Number(memory.get('used_memory'));
  const known = !whenFull(policy).includes('?');
  const bytes = Number.isInteger(limit) && limit >= 0;
  console.log(`this server's policy is explained above: ${known}`);
  console.log(`its maxmemory is bytes (0 = no limit): ${bytes}`);
  console.log(`its used_memory is bytes: ${used > 0}`);
  // #endregion live
}) satisfies Example;

// Output:
// noeviction: refuses the write (OOM); keeps all: yes
// allkeys-lru: evicts any key, least recently used; keeps all: no
// allkeys-lfu: evicts any key, least frequently used; keeps all: no
// volatile-lru: evicts a key with a TTL, least recently used; keeps all: no
// volatile-ttl: evicts a key with a TTL, nearest expiry; keeps all: no
// this server's policy is explained above: true
// its maxmemory is bytes (0 = no limit): true
// its used_memory is bytes: true
