// Lint: typescript-eslint's type-checked recommended rules over everything we write, and the
// architecture's arrows as import rules (see docs/architecture.md):
//   atlas/ knows HTTP and never GraphQL; the schema knows GraphQL and never undici; the simulator
//   imports nothing from the rest of src/; production code reaches the simulator only through the
//   demo module, and the demo module only by a dynamic import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const GRAPHQL = [
  'graphql',
  'graphql-yoga',
  'graphql-scalars',
  '@pothos/*',
  '@graphql-yoga/*',
  '@escape.tech/*',
  '@apollo/*',
];
const restrict = (patterns) => [
  'error',
  { patterns: patterns.map((p) => ({ ...p, allowTypeImports: p.allowTypeImports ?? false })) },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'src/vendor/**',
      'test-results/**',
      'bench/results/**',
      'examples/production/**',
      // Written by `npm run codegen` (codegen.ts); `npm run codegen:check` keeps it current.
      'examples/gql/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      // Keep disableTypeChecked's parserOptions (no project service for plain .mjs) and add Node's globals.
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { URL: 'readonly', process: 'readonly', console: 'readonly' },
    },
  },
  {
    files: ['src/atlas/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: GRAPHQL, message: 'atlas/ knows HTTP and Atlas, never GraphQL.' },
        { group: ['../*', '!../support'], message: 'atlas/ depends on nothing in src/ but support/.' },
      ]),
    },
  },
  {
    files: ['src/backups/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: GRAPHQL, message: 'backups/ is the domain: no GraphQL.' },
        {
          group: ['../graphql/*', '../simulator/*', '../demo/*', '../http/*'],
          message: 'backups/ depends on atlas/ and support/ only.',
        },
      ]),
    },
  },
  {
    files: ['src/graphql/schema/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        {
          group: ['undici', '**/atlas/client*', '**/atlas/auth*'],
          message: 'The schema knows GraphQL, never undici or the Atlas client.',
        },
        {
          group: ['**/simulator/*', '**/demo/*'],
          message: 'Production code reaches the simulator only through the demo module.',
        },
      ]),
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/simulator/**', 'src/demo/**', 'src/atlas/**', 'src/backups/**', 'src/graphql/schema/**'],
    rules: {
      'no-restricted-imports': restrict([
        {
          group: ['**/simulator/*'],
          message: 'Production code reaches the simulator only through the demo module (src/demo).',
        },
        {
          group: ['**/demo/*'],
          allowTypeImports: true,
          message: 'The demo module is loaded only by a dynamic import in demo mode.',
        },
      ]),
    },
  },
  {
    files: ['src/simulator/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        {
          group: ['../*'],
          message: 'The simulator imports nothing from the rest of src/, so it cannot quietly agree with the client.',
        },
      ]),
    },
  },
);
