// Lesson 02 · Where the stores live comes from the environment,
// read once at start-up. A variable that is missing, or set but
// empty, stops start-up with an error that names it, before
// anything is opened: whoever reads it knows what to fix.
import type { Example } from '../../lib/example.ts';

export default (async ({ env }) => {
  // #region settings
  function required(from: NodeJS.ProcessEnv, name: string): string {
    const value = from[name];
    if (!value) throw new Error(`${name} is not set`); // '' too
    return value;
  }

  function flagServiceSettings(from: NodeJS.ProcessEnv) {
    return {
      flagsDatabase: required(from, 'FLAGS_DATABASE_URL'),
      flagsCache: required(from, 'FLAGS_REDIS_URL'),
    };
  }
  // #endregion settings

  const tries: [string, NodeJS.ProcessEnv][] = [
    [
      'both set',
      {
        FLAGS_DATABASE_URL: env.DATABASE_URL,
        FLAGS_REDIS_URL: env.REDIS_URL,
      },
    ],
    ['one missing', { FLAGS_DATABASE_URL: env.DATABASE_URL }],
    [
      'one empty',
      { FLAGS_DATABASE_URL: '', FLAGS_REDIS_URL: env.REDIS_URL },
    ],
  ];
  for (const [what, from] of tries) {
    try {
      const settings = flagServiceSettings(from);
      console.log(
        `${what}: read ${Object.keys(settings).join(', ')}`,
      );
    } catch (error) {
      console.log(`${what}: ${(error as Error).message}`);
    }
  }
}) satisfies Example;

// Output:
// both set: read flagsDatabase, flagsCache
// one missing: FLAGS_REDIS_URL is not set
// one empty: FLAGS_DATABASE_URL is not set
