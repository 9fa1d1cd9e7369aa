import { afterAll, describe, expect, it } from 'vitest';
import { createActionRunner } from '../../src/app.js';
import { noAuth } from '../../src/atlas/auth.js';
import { AtlasClient } from '../../src/atlas/client.js';
import { ServerlessLookupRouter } from '../../src/backups/serverless-lookup-router.js';
import { BackupReader } from '../../src/backups/backup-reader.js';
import { loadConfig } from '../../src/config/config.js';
import { exampleQuery } from '../../src/graphql/example-query.js';
import { createMetrics } from '../../src/support/metrics.js';
import { createGraphQLServer } from '../../src/graphql/server.js';
import { DEMO } from '../../src/simulator/seed.js';
import {
  ANYONE_MAY_CALL,
  captureLogger,
  SERVERLESS_API_ONLY,
  snapshotField,
  type Stack,
  startStack,
} from '../helpers.js';

// A known secret in every credential slot; every error path driven; the canary must appear nowhere.
const CANARY = 'CANARY-5e3b9d1f-secret';
const key = { groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: DEMO.snapshotId };
const responses: string[] = [];
const logs: string[] = [];
const stacks: Stack[] = [];

async function collect(stack: Stack, query: string, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(stack.app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': `${CANARY}-caller`, ...headers },
    body: JSON.stringify({ query }),
  });
  responses.push(`${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`);
}

afterAll(async () => {
  for (const s of stacks) await s.close();
});

describe('secret hygiene', () => {
  it('no secret reaches a response or a log line on any error path, and no response carries a stack trace', async () => {
    // API key mode: the private key is the canary, so Atlas refuses it (401); callers authenticate with a canary key.
    const digest = await startStack(
      {
        ...SERVERLESS_API_ONLY,
        MONGODB_ATLAS_PRIVATE_API_KEY: CANARY,
        AUTH_API_KEYS: `${CANARY}-caller`,
        ATLAS_TIMEOUT_MS: '300',
        LOG_LEVEL: 'trace',
      },
      'api-key',
    );
    stacks.push(digest);
    await collect(digest, `{ ${snapshotField('s', key)} }`); // 401 from Atlas
    await collect(digest, '{ __typename }', { 'x-api-key': `${CANARY}-wrong` }); // caller refused
    await collect(digest, '{ __typename }', { 'x-api-key': '', authorization: `Bearer ${CANARY}` }); // wrong bearer

    // Service account mode: the client secret is the canary.
    const account = await startStack(
      {
        ...SERVERLESS_API_ONLY,
        ...ANYONE_MAY_CALL,
        MONGODB_ATLAS_CLIENT_SECRET: CANARY,
        ATLAS_TIMEOUT_MS: '300',
        ATLAS_RETRY_BASE_DELAY_MS: '1',
        LOG_LEVEL: 'trace',
      },
      'service-account',
    );
    stacks.push(account);
    await collect(account, `{ ${snapshotField('s', key)} }`); // token endpoint: invalid_client
    account.simulator.faults.inject(
      { kind: 'status', status: 503, rawBody: `upstream says ${CANARY}` },
      { operation: 'createServiceAccountToken' },
    );
    await collect(account, `{ ${snapshotField('s', key)} }`); // token endpoint down (its body echoes the secret)

    // A working service account, for the upstream body and timeout paths.
    const working = await startStack(
      {
        ...SERVERLESS_API_ONLY,
        ...ANYONE_MAY_CALL,
        ATLAS_TIMEOUT_MS: '300',
        ATLAS_RETRY_BASE_DELAY_MS: '1',
        LOG_LEVEL: 'trace',
      },
      'service-account',
    );
    stacks.push(working);
    working.simulator.faults.inject({ kind: 'status', status: 200, rawBody: `{"id": "${CANARY}"}` });
    await collect(working, `{ ${snapshotField('s', key)} }`); // bad upstream body that contains a secret-looking value
    working.simulator.faults.inject(
      { kind: 'status', status: 502, rawBody: `<html>${CANARY}</html>`, headers: { 'X-Error-Code': CANARY } },
      { times: 5 },
    );
    await collect(working, `{ ${snapshotField('s', key)} }`); // HTML error with the canary in body and header
    working.simulator.faults.latencyMs = 1_000;
    await collect(working, `{ ${snapshotField('s', key)} }`); // timeout
    working.simulator.faults.clear();

    // A bug that puts a secret in its message.
    class BrokenClient extends AtlasClient {
      override get(): never {
        throw new Error(`bug with ${CANARY}`);
      }
    }
    const captured = captureLogger();
    const broken = new BrokenClient({
      ...loadConfig({}).atlasClient,
      baseUrl: new URL('http://127.0.0.1:1'),
      auth: noAuth,
      userAgent: 't',
    });
    const brokenConfig = loadConfig({
      ALLOW_UNAUTHENTICATED: 'true',
      MONGODB_ATLAS_PUBLIC_API_KEY: 'pub',
      MONGODB_ATLAS_PRIVATE_API_KEY: CANARY,
    });
    const yoga = createGraphQLServer({
      config: brokenConfig,
      reader: new BackupReader(broken, new ServerlessLookupRouter('serverless')),
      actions: createActionRunner(broken, brokenConfig, captured.logger),
      logger: captured.logger,
      metrics: createMetrics(() => 'closed'),
      breakerState: () => 'closed',
      exampleQuery: exampleQuery(),
    });
    const bug = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ ${snapshotField('s', key)} }` }),
    });
    responses.push(await bug.text());

    for (const s of stacks) logs.push(...s.rawLogs);
    logs.push(...captured.raw); // Yoga logs the unexpected error, message included: scrubbed
    expect(captured.raw.join('')).toContain('bug with [redacted]');

    expect(responses).toHaveLength(9);
    for (const text of responses) {
      expect(text).not.toContain(CANARY);
      expect(text).not.toMatch(/\n\s+at |"stack"/);
    }
    expect(responses.join('\n')).toContain('UNAUTHENTICATED');
    expect(responses.join('\n')).toContain('UPSTREAM_TIMEOUT');
    expect(responses.join('\n')).toContain('Unexpected error.');
    for (const line of logs) expect(line).not.toContain(CANARY);
    expect(logs.length).toBeGreaterThan(10);
  }, 30_000);
});
