// One linter for the whole course: typescript-eslint for the TypeScript, eslint-plugin-vue for
// the site's components, and eslint-config-prettier last, so that formatting is Prettier's alone.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.course/',
      'reports/',
      '.stryker-tmp/',
      'docs/.vitepress/cache/',
      'docs/.vitepress/dist/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // One import style: a relative import names the file, extension included, as Node resolves it.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportDeclaration[source.value=/^\\.{1,2}\\/(?!.*\\.(ts|mjs|js|vue|json|css|svg)$)/]',
          message: 'Name the file with its extension (./names.ts), as Node resolves relative imports.',
        },
        {
          selector: 'ImportExpression[source.value=/^\\.{1,2}\\/(?!.*\\.(ts|mjs|js|vue|json|css|svg)$)/]',
          message: 'Name the file with its extension (./names.ts), as Node resolves relative imports.',
        },
      ],
    },
  },
  {
    // A stub has its final signature and a TODO for a body: its parameters wait for the learner.
    files: ['exercises/**'],
    rules: { '@typescript-eslint/no-unused-vars': ['error', { args: 'none' }] },
  },
  {
    files: ['docs/.vitepress/theme/**', 'tests/browser/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The floors: the runner, the scripts, the quiz and the ground floor never reach into the checks.
    files: ['runner/**', 'scripts/**', 'quiz/**', 'lib/**', 'tooling/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/checks/**'], message: "checks/ is the hidden checks' own; share through tooling/ instead." },
          ],
        },
      ],
    },
  },
  prettier,
);
