// Lesson 10 · What a crash of Redis (a kill -9, a power cut) loses,
// read from its persistence settings: the save points of its RDB
// snapshots, whether the append-only file is on, and how often it
// is fsynced. The sandbox may not read the configuration (CONFIG
// GET is the server's owner's), so the settings of five typical
// servers are explained here; INFO persistence, which the sandbox
// may read, says whether this server's AOF is on and how its last
// snapshot went.
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  // #region explain
  interface Persistence {
    save: string; // "" or "<seconds> <changes> …"
    appendonly: 'yes' | 'no';
    appendfsync: 'always' | 'everysec' | 'no';
  }

  /** What a crash loses: the writes not yet on disk. */
  function crashLoses(p: Persistence): string {
    if (p.appendonly === 'yes')
      return {
        always: 'at most the writes not yet answered',
        everysec: 'about the last second of writes',
        no: 'what the OS had not flushed (often 30 s)',
      }[p.appendfsync];
    const numbers = p.save.split(' ').filter(Boolean).map(Number);
    const seconds = numbers.filter((_, i) => i % 2 === 0);
    if (seconds.length === 0)
      return 'everything: nothing is on disk';
    return `the writes since the last snapshot (up to ${Math.max(
      ...seconds,
    )} s)`;
  }
  // #endregion explain

  // #region servers
  const servers: [string, Persistence][] = [
    [
      'docker-compose.yml',
      { save: '', appendonly: 'no', appendfsync: 'everysec' },
    ],
    [
      'redis-server defaults',
      {
        save: '3600 1 300 100 60 10000',
        appendonly: 'no',
        appendfsync: 'everysec',
      },
    ],
    [
      'AOF, everysec',
      { save: '', appendonly: 'yes', appendfsync: 'everysec' },
    ],
    [
      'AOF, always',
      { save: '', appendonly: 'yes', appendfsync: 'always' },
    ],
    ['AOF, no', { save: '', appendonly: 'yes', appendfsync: 'no' }],
  ];
  for (const [name, settings] of servers)
    console.log(`${name}: ${crashLoses(settings)}`);
  // #endregion servers

  // #region live
  const text = await cache.info('persistence');
  const aof = /aof_enabled:([01])/.exec(text)?.[1];
  const last = /rdb_last_bgsave_status:(\w+)/.exec(text)?.[1];
  console.log(`INFO says whether AOF is on: ${aof !== undefined}`);
  console.log(
    `and how the last snapshot went: ${
      last === 'ok' || last === 'err'
    }`,
  );
  // #endregion live
}) satisfies Example;

// Output:
// docker-compose.yml: everything: nothing is on disk
// redis-server defaults: the writes since the last snapshot (up to 3600 s)
// AOF, everysec: about the last second of writes
// AOF, always: at most the writes not yet answered
// AOF, no: what the OS had not flushed (often 30 s)
// INFO says whether AOF is on: true
// and how the last snapshot went: true
