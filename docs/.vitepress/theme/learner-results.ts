// The learner's latest verdicts on the page: fetched once mounted from the docs server, and again
// each time a run of the checks writes one (or every few seconds, should the announcement be
// missed). On a static build there is nothing to fetch: `live` stays false.
import { onMounted, reactive } from 'vue';
import { withBase } from 'vitepress';
import type { LearnerResult } from '../../../tooling/learner-results.ts';

export type { LearnerResult };

const state = reactive({
  /** Whether the docs server answers with results (npm run docs). */
  live: false,
  /** Whether the first look has been made (until then, say nothing). */
  loaded: false,
  results: {} as Record<string, LearnerResult>,
});

let started = false;

async function load(): Promise<void> {
  try {
    const response = await fetch(withBase('/__course/results.json'), { cache: 'no-store' });
    if (!response.ok) throw new Error(String(response.status));
    state.results = (await response.json()) as Record<string, LearnerResult>;
    state.live = true;
  } catch {
    state.live = false;
  } finally {
    state.loaded = true;
  }
}

function start(): void {
  if (started) return;
  started = true;
  // Only the docs server (npm run docs) has the learner's results; a static build says how to see them.
  if (!import.meta.env.DEV) {
    state.loaded = true;
    return;
  }
  void load().then(() => {
    if (!state.live) return;
    import.meta.hot?.on('course:results', () => void load());
    setInterval(() => void load(), 3000);
  });
}

export function useLearnerResults() {
  onMounted(start);
  return state;
}

/** "passed", "failing 3 of 8", or "not started", as the sidebar and the lists say it. */
export function statusText(result: LearnerResult | undefined): string {
  if (!result) return 'not started';
  if (result.status === 'passed') return `passed (${result.total} of ${result.total})`;
  return `failing: ${result.passed} of ${result.total} checks pass`;
}
