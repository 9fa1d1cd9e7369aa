import { createHash } from 'node:crypto';
import { FLEET } from '../src/simulator/fleet-seed.js';
import { DEMO } from '../src/simulator/seed.js';
import type { OpenLoopRequest } from './open-loop.js';

// The benchmark's HTTP scenarios: what each request asks, of which process, and how many Atlas
// calls it ideally costs. `ceiling` is the pass-through (bench/ceiling.ts), `naive` the naive Yoga
// server (bench/naive-yoga.ts), `graphql` this service, `persisted` this service again, trusted
// documents only (PERSISTED_DOCUMENTS_ONLY=true over a manifest holding the s3 document).

const GROUP = DEMO.analyticsGroupId;
const INSTANCE = DEMO.benchInstance;
const snapshotId = (n: number) =>
  DEMO.benchSnapshotIdPrefix +
  (n % DEMO.benchSnapshotCount).toString(16).padStart(24 - DEMO.benchSnapshotIdPrefix.length, '0');
const FIELDS = 'id status createdAt storageSizeBytes';
const BY_VARIABLES = `query Snapshot($s: ID!) { serverlessSnapshot(groupId: "${GROUP}", clusterName: "${INSTANCE}", snapshotId: $s) { ${FIELDS} } }`;
const json = (body: unknown) => JSON.stringify(body);
/** The s3 document's id: its sha256, as a frontend's build keys it in the manifest. */
const S3_HASH = createHash('sha256').update(BY_VARIABLES).digest('hex');
/** The manifest the `persisted` service loads (PERSISTED_DOCUMENTS_FILE): the s3 document under its hash. */
export const S3_MANIFEST: Readonly<Record<string, string>> = { [S3_HASH]: BY_VARIABLES };
/** The dashboard query of issue 12 over the 40-cluster project: ideally 1 + 2 × 40 upstream calls. */
const DASHBOARD = `query Dashboard($id: ID!) { project(id: $id) { clusters(first: ${FLEET.fleetClusterCount}) { edges { node {
  name ... on DedicatedCluster {
    latestSnapshot { ${FIELDS} }
    backupSchedule { nextSnapshot restoreWindowDays } } } } } } }`;

/** Which process a scenario drives. */
export type Target = 'graphql' | 'ceiling' | 'naive' | 'persisted';

/** A scenario: how to drive it, and how many upstream calls a request ideally costs. */
export interface Scenario {
  name: string;
  description: string;
  target: Target;
  idealUpstreamCalls: number;
  upstreamLatencyMs?: number;
  connectionsFactor?: number;
  request: () => OpenLoopRequest;
}

/** A request counter per scenario, so every request can ask for a new key. */
const counter = () => {
  let n = 0;
  return () => n++;
};

/** The s3 request (one field, a new key each time, one document with a variable), for any GraphQL target. */
export const s3Request = (next: () => number) => (): OpenLoopRequest => ({
  method: 'POST',
  path: '/graphql',
  body: json({ query: BY_VARIABLES, variables: { s: snapshotId(next()) } }),
});

/** The ceiling's request: the pass-through GET of the snapshot s3 would read. */
export const ceilingRequest = (next: () => number) => (): OpenLoopRequest => ({
  method: 'GET',
  path: `/${snapshotId(next())}`,
});

/** Every scenario, in the order a run measures them (each ceiling before the scenarios compared with it). */
export const SCENARIOS: Scenario[] = (() => {
  const next = {
    ceiling: counter(),
    s3: counter(),
    s3persisted: counter(),
    s3lit: counter(),
    s4: counter(),
    naive: counter(),
  };
  return [
    {
      name: 'ceiling',
      description: 'plain keep-alive undici pass-through of the same GET',
      target: 'ceiling',
      idealUpstreamCalls: 1,
      request: ceilingRequest(next.ceiling),
    },
    {
      name: 'ceiling-s4',
      description: 'the ceiling under s4 conditions (20 ms upstream latency, 4× the connections)',
      target: 'ceiling',
      idealUpstreamCalls: 1,
      upstreamLatencyMs: 20,
      connectionsFactor: 4,
      request: ceilingRequest(next.ceiling),
    },
    {
      name: 's1',
      description: 'one serverlessSnapshot, the same key every request',
      target: 'graphql',
      idealUpstreamCalls: 1,
      request: () => ({
        method: 'POST',
        path: '/graphql',
        body: json({ query: BY_VARIABLES, variables: { s: snapshotId(0) } }),
      }),
    },
    {
      name: 's2',
      description: '15 aliased fields over 5 distinct keys',
      target: 'graphql',
      idealUpstreamCalls: 5,
      request: () => ({
        method: 'POST',
        path: '/graphql',
        body: json({
          query: `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: serverlessSnapshot(groupId: "${GROUP}", clusterName: "${INSTANCE}", snapshotId: "${snapshotId(i % 5)}") { ${FIELDS} }`).join(' ')} }`,
        }),
      }),
    },
    {
      name: 's3',
      description: 'one field, a new key every request, same document with a variable',
      target: 'graphql',
      idealUpstreamCalls: 1,
      request: s3Request(next.s3),
    },
    {
      name: 's3persisted',
      description:
        's3 sent by documentId alone to the service running trusted documents only (no parse, no validation)',
      target: 'persisted',
      idealUpstreamCalls: 1,
      request: () => ({
        method: 'POST',
        path: '/graphql',
        body: json({ documentId: `sha256:${S3_HASH}`, variables: { s: snapshotId(next.s3persisted()) } }),
      }),
    },
    {
      name: 'naive-s3',
      description: 's3 against the naive Yoga server (bench/naive-yoga.ts: SDL schema, a fetch per field)',
      target: 'naive',
      idealUpstreamCalls: 1,
      request: s3Request(next.naive),
    },
    {
      name: 's3lit',
      description: 'like s3 with the key in the query text: every document is new',
      target: 'graphql',
      idealUpstreamCalls: 1,
      request: () => ({
        method: 'POST',
        path: '/graphql',
        body: json({
          query: `{ serverlessSnapshot(groupId: "${GROUP}", clusterName: "${INSTANCE}", snapshotId: "${snapshotId(next.s3lit())}") { ${FIELDS} } }`,
        }),
      }),
    },
    {
      name: 's4',
      description: 's3 with 20 ms upstream latency and 4× the connections',
      target: 'graphql',
      idealUpstreamCalls: 1,
      upstreamLatencyMs: 20,
      connectionsFactor: 4,
      request: s3Request(next.s4),
    },
    {
      name: 's5',
      description: 'federation _entities: 50 representations over 10 keys',
      target: 'graphql',
      idealUpstreamCalls: 10,
      request: () => ({
        method: 'POST',
        path: '/graphql',
        body: json({
          query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ServerlessSnapshot { ${FIELDS} } } }`,
          variables: {
            r: Array.from({ length: 50 }, (_, i) => ({
              __typename: 'ServerlessSnapshot',
              groupId: GROUP,
              clusterName: INSTANCE,
              id: snapshotId(i % 10),
            })),
          },
        }),
      }),
    },
    {
      name: 's6',
      description: 'the dashboard: 40 clusters of a project with their latest snapshot and backup schedule',
      target: 'graphql',
      idealUpstreamCalls: 1 + 2 * FLEET.fleetClusterCount,
      // A dashboard holds ~260 KB of Atlas bodies until it is answered: 50 at once would pass the
      // service's UPSTREAM_MAX_BYTES_IN_FLIGHT (8 MiB) and be shed with SERVER_BUSY; 10 (by default) are not.
      connectionsFactor: 0.2,
      request: () => ({
        method: 'POST',
        path: '/graphql',
        body: json({ query: DASHBOARD, variables: { id: FLEET.fleetGroupId } }),
      }),
    },
  ];
})();
