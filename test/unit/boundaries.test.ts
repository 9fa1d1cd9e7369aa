import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The architecture's arrows are `no-restricted-imports` rules in eslint.config.mjs. Each case below
// lints one import as if it were written in that file, through the project's own config.
const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({
  cwd: root,
  // The import rules need no type information: parse without the project service, so a path need not exist.
  overrideConfig: { files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
});

/** What ESLint reports for `code` written at `path` (relative to the repository): rule and message. */
async function reported(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${path}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

describe('import boundaries', () => {
  it.each([
    ['src/atlas/new-file.ts', "import { GraphQLError } from 'graphql';", 'never GraphQL'],
    ['src/atlas/new-file.ts', "import { createYoga } from 'graphql-yoga';", 'never GraphQL'],
    ['src/atlas/new-file.ts', "import type { SchemaTypes } from '@pothos/core';", 'never GraphQL'],
    ['src/atlas/new-file.ts', "import type { Context } from '../graphql/context.js';", 'nothing in src/ but support/'],
    ['src/backups/new-file.ts', "import { GraphQLError } from 'graphql';", 'no GraphQL'],
    ['src/graphql/schema/new-file.ts', "import { request } from 'undici';", 'never undici'],
    ['src/graphql/schema/new-file.ts', "import { DEMO } from '../../simulator/seed.js';", 'only through the demo'],
    ['src/simulator/new-file.ts', "import { loadConfig } from '../config/config.js';", 'imports nothing from the rest'],
    ['src/simulator/new-file.ts', "import { Secret } from '../support/secret.js';", 'imports nothing from the rest'],
    ['src/app.ts', "import { startSimulator } from './simulator/server.js';", 'only through the demo module'],
    ['src/app.ts', "import { startDemo } from './demo/demo.js';", 'only by a dynamic import'],
    ['src/graphql/server.ts', "import { DEMO } from '../simulator/seed.js';", 'only through the demo module'],
    ['src/http/new-file.ts', "export { startDemo } from '../demo/demo.js';", 'only by a dynamic import'],
  ])('%s: %s is reported', async (path, code, why) => {
    const messages = await reported(path, code);
    expect(
      messages.some((m) => m.startsWith('no-restricted-imports: ') && m.includes(why)),
      messages.join('\n'),
    ).toBe(true);
    for (const message of messages) expect(message).toMatch(/^no-restricted-imports: /);
  });

  it.each([
    ['src/app.ts', "const { startDemo } = await import('./demo/demo.js');\nexport { startDemo };"],
    ['src/main.ts', "import type { Demo } from './demo/demo.js';\nexport type { Demo };"],
    ['src/demo/demo.ts', "import { startSimulator } from '../simulator/server.js';\nexport { startSimulator };"],
    ['src/atlas/new-file.ts', "import { request } from 'undici';\nimport { Secret } from '../support/secret.js';"],
    ['src/graphql/schema/new-file.ts', "import { GraphQLError } from 'graphql';\nexport { GraphQLError };"],
    ['src/simulator/new-file.ts', "import { createServer } from 'node:http';\nimport { DEMO } from './seed.js';"],
    ['test/unit/new-file.test.ts', "import { DEMO } from '../../src/simulator/seed.js';\nexport { DEMO };"],
  ])('%s: %s is allowed', async (path, code) => {
    expect(await reported(path, code)).toEqual([]);
  });
});
