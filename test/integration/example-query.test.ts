import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { exampleQuery } from '../../src/graphql/example-query.js';
import { DEMO } from '../../src/simulator/seed.js';

// The example query has one source (src/graphql/example-query.ts): GraphiQL opens with it, demo mode
// prints it, and the README quotes it with the answer the demo server gives.

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const exampleSection = readme.slice(readme.indexOf('\n## Example\n'));
/** The first fenced block of a language in the README's Example section. */
const block = (language: string) => new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(exampleSection)?.[1];
const demoKey = { groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: DEMO.snapshotId };

let app: RunningApp;
beforeAll(async () => {
  app = await startApp(loadConfig({ PORT: '0' }), pino({ level: 'silent' })); // no credentials: demo mode
});
afterAll(() => app?.close(1000));

describe('the example query', () => {
  it('is what demo mode serves and prints, with the ids the simulator holds', () => {
    expect(app.example).toBe(exampleQuery(demoKey));
  });

  it("is the README's example, and the README shows the demo server's answer to it", async () => {
    expect(block('graphql')).toBe(exampleQuery(demoKey));
    const response = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: exampleQuery(demoKey) }),
    });
    expect(await response.json()).toEqual(JSON.parse(block('json') ?? 'null'));
  });
});
