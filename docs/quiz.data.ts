// Build-time data for the Quiz components: every quiz file in ../quiz, validated. An invalid
// question fails the build with the same message `npm run verify` prints.
import { fileURLToPath } from 'node:url';
import { defineLoader } from 'vitepress';
import { loadQuizBank } from '../quiz/load.ts';
import type { QuizBank } from '../quiz/schema.ts';

export type { QuizBank };

export declare const data: QuizBank;

export default defineLoader({
  watch: ['../quiz/*.json'],
  load(): QuizBank {
    return loadQuizBank(fileURLToPath(new URL('../quiz', import.meta.url)));
  },
});
