import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Tests that load the machine on purpose (the production start under its worst case, the soak, the
 * benchmark smoke run): they measure how a process holds up, so they run after the others, alone,
 * instead of competing with a hundred files for the 2 cores (where heap-worst-case's server, starved
 * of CPU, held more requests at once than its budget assumes).
 */
const HEAVY = [
  'test/integration/heap-worst-case.test.ts',
  'test/integration/soak.test.ts',
  'test/integration/bench-smoke.test.ts',
  'test/integration/bench-fleet-smoke.test.ts',
];

const shared = {
  // graphql 16 ships index.js and index.mjs without an exports map: Vite would hand our code the
  // .mjs copy while Yoga (loaded by Node) gets the .js one, and `instanceof GraphQLError` would
  // fail across the two. One copy, as under plain Node.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
};

export default defineConfig({
  ...shared,
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // The JSON report is what .ci/run reads for its "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        ...shared,
        test: {
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: HEAVY,
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'heavy',
          include: HEAVY,
          testTimeout: 20_000,
          hookTimeout: 20_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
