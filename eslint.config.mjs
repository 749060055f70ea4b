import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-bench/**',
      'node_modules/**',
      'coverage/**',
      'apps/api/src/console/assets/**',
      '*.js',
      '*.mjs',
    ],
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
);
