// One lint config for the whole repository. The rule that matters most is the layer rule:
// a context's domain/ knows nothing of GraphQL, Prisma, NATS, HTTP or its own adapters.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const infrastructure = [
  '@prisma/*',
  '@apollo/*',
  '@nats-io/*',
  'graphql',
  'graphql-*',
  'express',
  'pg',
  'jose',
  'ws',
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/generated/**', '**/__generated__/**', '.data/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['subgraphs/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: infrastructure, message: 'The domain imports no framework, driver or transport.' },
            {
              group: ['**/adapters/**', '**/application/**', '@gaji/platform', '@gaji/platform/*'],
              message: 'The domain depends on nothing outside itself.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['subgraphs/*/src/application/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@prisma/*', '@apollo/*', '@nats-io/*', 'graphql', 'express', 'pg'],
              message: 'Use cases talk to ports, not drivers.',
            },
            {
              group: ['**/adapters/**'],
              message: 'Use cases depend on ports; adapters depend on use cases, not the reverse.',
            },
          ],
        },
      ],
    },
  },
);
