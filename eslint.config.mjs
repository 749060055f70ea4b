import js from '@eslint/js';
import * as espree from 'espree';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import comments from '@eslint-community/eslint-plugin-eslint-comments';

export default tseslint.config(
  {
    ignores: ['dist/**', 'dist-bench/**', 'node_modules/**', 'coverage/**', '*.js', '*.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Type-aware rules on production code (floating promises, promises where a callback is expected, `any`
    // leaking from untyped values). Spec files and test helpers keep the plain set: they read untyped
    // JSON bodies and hand methods to expect() on purpose, so the unsafe-* and unbound-method findings
    // there (about a hundred) would be noise, and typing every assertion would protect nothing.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Production code names its types; an `any` that cannot be avoided says why in its disable comment.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Every eslint-disable says why (`-- reason`), and one that no longer disables anything fails.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@eslint-community/eslint-comments': comments },
    rules: { '@eslint-community/eslint-comments/require-description': 'error' },
  },
  {
    // The domain is pure: no framework, no database, no queue, no clock. Time and actor arrive with the command.
    files: ['libs/domain/**/*.ts'],
    ignores: ['libs/domain/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'typeorm', 'typeorm/*', 'pg', 'bullmq', 'ioredis', 'express', '@app/*'],
              message: 'libs/domain stays free of frameworks, drivers and other libs.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'The domain does not read the clock: pass the time in with the command.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'The domain does not read the clock: pass the time in with the command.',
        },
      ],
    },
  },
  {
    // The libraries form floors: platform, then event-store, then application. A floor never imports one
    // above it, and no library imports an app or the migrations (the apps pass those in).
    files: ['libs/platform/**/*.ts', 'libs/event-store/**/*.ts', 'libs/application/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/**', '**/migrations', '**/migrations/**'],
              message: 'Libraries never import apps or migrations.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@app/event-store',
                '@app/event-store/*',
                '@app/application',
                '@app/application/*',
                '@app/domain',
                '@app/domain/*',
              ],
              message: 'libs/platform is the floor: it imports no other lib.',
            },
            {
              group: ['**/apps/**', '**/migrations', '**/migrations/**'],
              message: 'Libraries never import apps or migrations.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/event-store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@app/application', '@app/application/*', '@app/domain', '@app/domain/*'],
              message: 'libs/event-store sits on libs/platform only.',
            },
            {
              group: ['**/apps/**', '**/migrations', '**/migrations/**'],
              message: 'Libraries never import apps or migrations.',
            },
          ],
        },
      ],
    },
  },
  {
    // The web console: plain ES modules run by the browser as they are (no build step), type-checked by
    // tsconfig.console.json. A render function stays small enough to read whole: past ~60 lines it is
    // split into named parts (CONTRIBUTING.md, "Add a console view").
    files: ['apps/api/src/console/assets/js/**/*.js'],
    extends: [js.configs.recommended, tseslint.configs.disableTypeChecked],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.browser } },
    rules: {
      // @typescript-eslint/no-unused-vars (above, for every file) says it already, with the repo's `_` rule.
      'no-unused-vars': 'off',
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // What a browser without ES modules runs instead (a 360 browser in IE mode): ES5, a classic script.
    files: ['apps/api/src/console/assets/js/nomodule.js'],
    languageOptions: { parser: espree, ecmaVersion: 5, sourceType: 'script' },
  },
);
