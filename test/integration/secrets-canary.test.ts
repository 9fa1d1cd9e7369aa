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
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { DEMO } from '../../src/simulator/seed.js';
import { LIFECYCLE_MS } from '../../src/simulator/timelines.js';
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

  it('the download URLs’ secrets (a restore’s deliveryUrl token, a Flex download’s snapshotUrl signature) reach the caller, never a log line', async () => {
    const stack = await startStack(
      { AUTH_API_KEYS: 'ops@ops-key backups:restore backups:download', LOG_LEVEL: 'trace' },
      'api-key',
      { clock: { frozen: true } },
    );
    stacks.push(stack);
    const answered: string[] = [];
    const query = async <Data>(document: string, variables: Record<string, unknown> = {}) => {
      const response = await stack.query<Data>(document, variables, { 'x-api-key': 'ops-key' });
      answered.push(JSON.stringify(response));
      return response;
    };
    const g = DEMO.groupId;

    // A download restore job: once ready, the simulator puts a fresh random 24-character token in its
    // URL's path (timelines.ts `deliveryUrl`, as Atlas does). Created, read singly, in the list, and
    // in a mutation's payload (the cancel's dry run reads the job back).
    const created = await query<{ c: { restoreJob: { id: string } } }>(
      `mutation ($input: CreateClusterRestoreJobInput!) { c: createClusterRestoreJob(input: $input) { restoreJob { id } } }`,
      {
        input: {
          groupId: g,
          clusterName: CLOUD.replicaSet,
          deliveryType: 'DOWNLOAD',
          snapshotId: CLOUD.snapshots.daily,
          idempotencyKey: 'canary-download',
        },
      },
    );
    const jobId = created.data!.c.restoreJob.id;
    stack.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
    const at = `groupId: "${g}", clusterName: "${CLOUD.replicaSet}"`;
    const read = await query<{ j: { deliveryUrl: string[] } }>(`{
      j: clusterRestoreJob(${at}, restoreJobId: "${jobId}") { deliveryUrl }
      l: clusterRestoreJobs(${at}) { edges { node { id deliveryUrl } } }
    }`);
    await query(
      `mutation { c: cancelClusterRestoreJob(input: { ${at}, restoreJobId: "${jobId}", dryRun: true }) { restoreJob { deliveryUrl } } }`,
    );
    const [deliveryUrl] = read.data!.j.deliveryUrl;
    const token = new URL(deliveryUrl!).pathname.split('/')[1]!;
    expect(token).toMatch(/^[A-Za-z0-9]{24}$/);

    // A Flex download: its pre-signed snapshotUrl carries a fresh random 64-character signature
    // (flex-write-routes.ts), in the write's answer at once; the mutation, its replay and the reads.
    const flexDownload = `mutation ($input: DownloadFlexSnapshotInput!) { d: downloadFlexSnapshot(input: $input) { restoreJob { id snapshotUrl } } }`;
    const flexInput = {
      groupId: g,
      name: DEMO.flexCluster,
      snapshotId: DEMO.flexSnapshotId,
      idempotencyKey: 'canary-flex',
    };
    const flex = await query<{ d: { restoreJob: { id: string; snapshotUrl: string } } }>(flexDownload, {
      input: flexInput,
    });
    await query(flexDownload, { input: flexInput });
    const { id: flexJobId, snapshotUrl } = flex.data!.d.restoreJob;
    await query(`{
      j: flexRestoreJob(groupId: "${g}", name: "${DEMO.flexCluster}", restoreJobId: "${flexJobId}") { snapshotUrl }
      l: flexRestoreJobs(groupId: "${g}", name: "${DEMO.flexCluster}") { edges { node { snapshotUrl } } }
    }`);
    const signature = new URL(snapshotUrl).searchParams.get('X-Amz-Signature')!;
    expect(signature).toMatch(/^[A-Za-z0-9]{64}$/);

    // A 200 whose body is not the documented shape but carries such a URL: the outcome is unknown,
    // and the failure's log lines must not echo the body.
    const echoed = 'Q'.repeat(64);
    stack.simulator.faults.inject(
      {
        kind: 'status',
        status: 200,
        rawBody: JSON.stringify({
          snapshotUrl: `${snapshotUrl.split('X-Amz-Signature=')[0]}X-Amz-Signature=${echoed}`,
        }),
      },
      { operation: 'downloadFlexBackup' },
    );
    const unknown = await query(flexDownload, { input: { ...flexInput, idempotencyKey: 'canary-flex-2' } });
    expect(unknown.errors![0]!.extensions!.code).toBe('UPSTREAM_OUTCOME_UNKNOWN');

    const sent = answered.join('\n');
    expect(sent).toContain(token);
    expect(sent).toContain(signature);
    expect(stack.logs.filter((l) => l.audit === true).length).toBeGreaterThanOrEqual(5);
    expect(stack.logs.some((l) => l.level === 10 || l.level === 20)).toBe(true);
    // The lines are about these jobs (their ids are logged), just never their secrets.
    expect(stack.rawLogs.join('\n')).toContain(jobId);
    expect(stack.rawLogs.join('\n')).toContain(flexJobId);
    for (const line of stack.rawLogs) {
      expect(line).not.toContain(token);
      expect(line).not.toContain(signature);
      expect(line).not.toContain(echoed);
    }
  });
});
