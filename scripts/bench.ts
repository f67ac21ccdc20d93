// `npm run bench`: measures, on this machine, what decides whether the course feels alive.
//   - cold: containers started from nothing to the first check's result (when Docker answers);
//   - warm `npm test 04`, and a bare `vitest run` of one file, to see what the harness adds;
//   - the guided runner's save-to-verdict time;
//   - the reference cache-aside solution: a hit against a miss and against Postgres alone, one
//     call at a time and with many callers at once;
//   - round trips (lesson 09): 100 users read one at a time against one query or one MGET, and a
//     contended reservation under FOR UPDATE against one atomic UPDATE (scripts/bench-round-trips.ts);
//   - the whole `npm run verify` (skip it with --quick).
// Medians of several runs: the machine is shared with everything else it does, so read the
// spread too. Figures are printed and written to .course/bench.json; nothing here asserts a time.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bold, dim } from '../tooling/style.ts';
import { projectRoot, provideServices } from '../tooling/services.ts';
import { cold, latencies, line, ms, stats, timeCommand } from './bench-measures.ts';
import { describeRoundTrips, roundTripFigures } from './bench-round-trips.ts';

const USAGE = `Usage
  npm run bench [-- options]

Options
  --quick         skip the full verify and the cold container start
  --runs <n>      repetitions for the timed commands (default 5)
  --saves <n>     saves in the guided runner's session (default 200)
  --calls <n>     calls per latency series (default 2000)
  --callers <n>   callers at once in the series under load (default 32)
  -h, --help      show this help

Examples
  npm run bench
  npm run bench -- --quick --runs 3`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      runs: { type: 'string', default: '5' },
      saves: { type: 'string', default: '200' },
      calls: { type: 'string', default: '2000' },
      callers: { type: 'string', default: '32' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const runs = Math.max(1, Number(values.runs));
  const saveCount = Math.max(2, Number(values.saves));
  const calls = Math.max(100, Number(values.calls));
  const callers = Math.max(2, Number(values.callers));
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: `${process.platform} ${process.arch}, node ${process.version}`,
  };
  mkdirSync(join(projectRoot, '.course'), { recursive: true });
  console.log(bold('Course bench') + dim(`  (${runs} runs per command, ${calls} calls per latency series)`));

  if (!values.quick) {
    console.log(
      `\n${bold('Cold start: containers from nothing to the first verdict (npm test 04 against the solution)')}`,
    );
    const c = await cold();
    report.cold = c;
    if (typeof c === 'string') console.log(`  ${c}`);
    else console.log(`  containers up ${ms(c.containersUpMs!)}, first verdict ${ms(c.firstVerdictMs!)}`);
  }

  const services = await provideServices();
  const urls = { DATABASE_URL: services.postgresUrl, REDIS_URL: services.redisUrl };
  try {
    console.log(`\n${bold(`Warm re-checks (services: ${services.source})`)}`);
    const bareDir = mkdtempSync(join(tmpdir(), 'course-bare-'));
    writeFileSync(
      join(bareDir, 'bare.test.ts'),
      "import { it, expect } from 'vitest';\nit('runs', () => expect(1 + 1).toBe(2));\n",
    );
    writeFileSync(join(bareDir, 'vitest.config.ts'), 'export default {};\n');
    const vitestBin = join(projectRoot, 'node_modules', '.bin', 'vitest');
    await timeCommand('npm', ['test', '04'], urls); // warm the caches once, uncounted
    // The three in turn, round after round, so that whatever else the machine does weighs on
    // each alike; three times the runs, since they differ by tenths of a second.
    const samples = { warm: [] as number[], harness: [] as number[], bare: [] as number[] };
    for (let round = 0; round < runs * 3; round++) {
      samples.warm.push(await timeCommand('npm', ['test', '04'], urls));
      // The same command without npm's own start-up: what the harness itself costs.
      samples.harness.push(await timeCommand(process.execPath, ['scripts/test.mjs', '04'], urls));
      samples.bare.push(
        await timeCommand(vitestBin, ['run', '--root', bareDir, '--config', join(bareDir, 'vitest.config.ts')], {}),
      );
    }
    const warm = stats(samples.warm);
    const harness = stats(samples.harness);
    const bare = stats(samples.bare);
    rmSync(bareDir, { recursive: true, force: true });
    console.log(line('npm test 04 (the stub)', warm));
    console.log(line('the same without npm (scripts/test.mjs 04)', harness));
    console.log(line('bare vitest run of one trivial file', bare));
    console.log(
      `  the harness adds ${ms(harness.median - bare.median)} to a bare run, npm another ${ms(warm.median - harness.median)}; npm test 04 over a bare run: ${ms(warm.median - bare.median)} (medians)`,
    );
    report.warmTest04 = warm;
    report.warmHarness04 = harness;
    report.bareVitest = bare;
    report.harnessOverheadMs = harness.median - bare.median;

    console.log(`\n${bold('The guided runner: save to verdict (exercise 04, stub and solution saved in turn)')}`);
    try {
      const { timeSaveToVerdict } = await import('../runner/timing.ts');
      const figures = await timeSaveToVerdict({ saves: saveCount });
      const s = stats(figures.samples);
      const sorted = [...figures.samples].sort((a, b) => a - b);
      const p90 = sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))] ?? NaN;
      const mb = (v: number) => `${v.toFixed(0)} MB`;
      console.log(line(`save → verdict (${figures.samples.length} saves)`, s));
      console.log(
        `  median ${ms(s.median)}, p90 ${ms(p90)}: ${(s.median / bare.median).toFixed(2)}× a bare vitest run of one file (median ${ms(bare.median)})`,
      );
      console.log(
        `  ${figures.right} of ${figures.samples.length} verdicts as expected (the stub fails, the solution passes)`,
      );
      console.log(
        `  memory after 10 saves / after ${figures.samples.length}: runner ${mb(figures.rss.early)} / ${mb(figures.rss.late)}, ` +
          `check process ${mb(figures.rss.checkEarly)} / ${mb(figures.rss.checkLate)}; ` +
          `connections on the servers ${figures.connections.early} / ${figures.connections.late}`,
      );
      report.saveToVerdict = { ...s, p90, ratioToBareVitest: s.median / bare.median, ...figures, samples: undefined };
    } catch (error) {
      console.log(`  skipped: ${(error as Error).message}`);
    }

    console.log(`\n${bold(`Cache-aside latency, reference solution of 04 (${runs} rounds)`)}`);
    const rounds = await latencies(services, calls, callers, runs);
    const x = (v: number) => `${v.toFixed(1)}×`;
    const medianOf = (values: number[]) => stats(values).median;
    // How many times faster a hit is, per round.
    const ratios = rounds.map((r) => ({
      vsPostgres: r.postgres.median / r.hit.median,
      vsPostgresP99: r.postgres.p99 / r.hit.p99,
      vsMiss: r.miss.median / r.hit.median,
      vsMissP99: r.miss.p99 / r.hit.p99,
      loadedVsPostgres: r.loaded.postgres.median / r.loaded.hit.median,
      loadedVsPostgresP99: r.loaded.postgres.p99 / r.loaded.hit.p99,
    }));
    type Ratio = keyof (typeof ratios)[number];
    const spread = (key: Ratio) => {
      const values = ratios.map((r) => r[key]);
      return `${x(medianOf(values))} (rounds: ${x(Math.min(...values))}–${x(Math.max(...values))})`;
    };
    console.log(
      dim(`  one call at a time, ${calls} calls per series; medians in ms, then how many times faster a hit is`),
    );
    rounds.forEach((r, i) =>
      console.log(
        `  round ${i + 1}: bare socket PING ${ms(r.socket.median)}, hit ${ms(r.hit.median)}, Postgres alone ${ms(r.postgres.median)}, miss ${ms(r.miss.median)};` +
          ` hit vs Postgres ${x(ratios[i]!.vsPostgres)} median, ${x(ratios[i]!.vsPostgresP99)} p99; hit vs miss ${x(ratios[i]!.vsMiss)}`,
      ),
    );
    console.log(
      `  a hit is ${spread('vsPostgres')} faster than Postgres alone at the median, ${spread('vsPostgresP99')} at p99;`,
    );
    console.log(`  ${spread('vsMiss')} faster than a miss at the median, ${spread('vsMissP99')} at p99`);
    const floor = medianOf(rounds.map((r) => r.socket.median));
    console.log(
      `  the floor: a bare socket's round trip to Redis took ${ms(floor)}, the hit ${ms(medianOf(rounds.map((r) => r.hit.median)))} (medians of rounds)`,
    );
    console.log(
      dim(
        `  under load: ${callers} callers at once, ${calls * 5} calls per series, one pool of 10 connections, one Redis client`,
      ),
    );
    rounds.forEach((r, i) =>
      console.log(
        `  round ${i + 1}: hit ${ms(r.loaded.hit.median)}, Postgres alone ${ms(r.loaded.postgres.median)};` +
          ` hit vs Postgres ${x(ratios[i]!.loadedVsPostgres)} median, ${x(ratios[i]!.loadedVsPostgresP99)} p99`,
      ),
    );
    console.log(
      `  a hit is ${spread('loadedVsPostgres')} faster than Postgres alone at the median, ${spread('loadedVsPostgresP99')} at p99`,
    );
    const medianRatio = (key: Ratio) => medianOf(ratios.map((r) => r[key]));
    report.latency = {
      rounds,
      calls,
      callers,
      socketRoundTripMedian: floor,
      hitVsPostgresMedian: medianRatio('vsPostgres'),
      hitVsPostgresP99: medianRatio('vsPostgresP99'),
      hitVsMissMedian: medianRatio('vsMiss'),
      hitVsMissP99: medianRatio('vsMissP99'),
      loadedHitVsPostgresMedian: medianRatio('loadedVsPostgres'),
      loadedHitVsPostgresP99: medianRatio('loadedVsPostgresP99'),
    };

    console.log(`\n${bold(`Round trips: one at a time against one trip (${runs} rounds)`)}`);
    const trips = await roundTripFigures(services, { rounds: runs, quick: values.quick === true, callers });
    for (const text of describeRoundTrips(trips)) console.log(text);
    report.roundTrips = { users: trips.users, rounds: trips.batch };
    report.reservation = trips.reservation;

    if (!values.quick) {
      console.log(`\n${bold('The whole npm run verify')}`);
      const v = await timeCommand('npm', ['run', 'verify'], urls);
      console.log(`  ${ms(v)} (one run)`);
      report.verifyMs = v;
    }
  } finally {
    await services.stop();
  }
  writeFileSync(join(projectRoot, '.course', 'bench.json'), JSON.stringify(report, null, 2));
  console.log(dim('\nFigures saved to .course/bench.json'));
}

await main();
