// Build-time data for <ExampleOutput>: what each worked example prints (its `// Output:`
// comment), the very text `npm run verify` compares with what the example printed.
import { defineLoader } from 'vitepress';
import { listExamples } from '../tooling/examples.ts';

/** Example id (`04-cache-aside/catalogue`) → what it prints. */
export type ExampleOutputs = Record<string, string>;

export declare const data: ExampleOutputs;

export default defineLoader({
  watch: ['../examples/*/*.ts'],
  load(): ExampleOutputs {
    return Object.fromEntries(listExamples().map((e) => [e.id, e.output ?? '']));
  },
});
