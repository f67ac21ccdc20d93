// What a run of the checks is, as its entry point (`npm test`, the guided runner, verify, the
// bench) decided it, and how it travels to the check processes: Vitest's provide/inject.
import 'vitest';

export interface ProvidedServices {
  postgresUrl: string;
  redisUrl: string;
  runId: string;
  source: string;
}

/** What the entry point (`npm test`, the guided runner, verify) decided the run is. */
export interface RunSettings {
  /** The folder of the code under check, absolute, laid out like exercises/. */
  target: string;
  /** How many check files the run holds (the global setup prepares a database for each at once). */
  checkFiles: number;
  /** `test` when `npm test` runs it: a missing server is then told in plain words, not as a crash. */
  command: 'test' | 'run';
  /**
   * A session that re-runs in check processes kept alive (tooling/warm-checks.ts): each file keeps
   * its database, Redis claim and gates for the next run and starts every run from a clean state.
   */
  warm?: boolean;
  /** Modules to check instead of the target's, by exercise id (the attempts of checks/attempts/). */
  files?: Record<string, string>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    services: ProvidedServices;
    course: RunSettings;
    /** Servers the caller has found already (verify, the bench): the global setup uses them as they are. */
    servicesGiven?: { postgresUrl: string; redisUrl: string };
  }
}
