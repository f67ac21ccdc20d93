// `npm run services:start` keeps a Postgres and a Redis container running between check runs,
// so a re-check pays no container start; `npm run services:stop` stops them;
// `npm run services:status` says what the checks would use now.
import { existsSync, readFileSync } from 'node:fs';
import { keptServicesFile, redact, ServicesError, startKeptServices, stopKeptServices } from '../tooling/services.ts';

const USAGE = `Usage
  npm run services:start     start a Postgres and a Redis container and keep them running
  npm run services:stop      stop the containers kept by services:start (or COURSE_KEEP_SERVICES=1)
  npm run services:status    show which services the checks would use

Examples
  npm run services:start && npm test 04 && npm test 04
  COURSE_KEEP_SERVICES=1 npm test 04     (the first run starts the pair and keeps it)`;

type Command = 'start' | 'stop' | 'status';

async function main(command: Command): Promise<void> {
  switch (command) {
    case 'start': {
      const services = await startKeptServices();
      console.log(
        `Kept running (${services.source}):\n  Postgres ${redact(services.postgresUrl)}\n  Redis    ${services.redisUrl}\nStop them with: npm run services:stop`,
      );
      return;
    }
    case 'stop': {
      const stopped = await stopKeptServices();
      console.log(stopped > 0 ? `Stopped ${stopped} kept container(s).` : 'No kept containers were running.');
      return;
    }
    case 'status': {
      if (process.env.DATABASE_URL || process.env.REDIS_URL) {
        console.log(
          `The checks use DATABASE_URL=${redact(process.env.DATABASE_URL ?? '(unset)')} and REDIS_URL=${redact(process.env.REDIS_URL ?? '(unset)')}.`,
        );
      } else if (existsSync(keptServicesFile)) {
        const kept = JSON.parse(readFileSync(keptServicesFile, 'utf8')) as { postgresUrl: string; redisUrl: string };
        console.log(
          `Kept containers: Postgres ${redact(kept.postgresUrl)}, Redis ${kept.redisUrl} (npm run services:stop ends them).`,
        );
      } else {
        console.log('No URLs set and no kept containers: each run starts its own containers and stops them after.');
      }
      return;
    }
    default:
      command satisfies never;
  }
}

const arg = process.argv[2];
if (arg !== 'start' && arg !== 'stop' && arg !== 'status') {
  console.log(USAGE);
  if (arg !== '--help' && arg !== '-h') process.exitCode = 1;
} else {
  try {
    await main(arg);
  } catch (error) {
    console.error(error instanceof ServicesError ? error.message : error);
    process.exitCode = 1;
  }
}
