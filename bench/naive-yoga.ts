import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { Pool } from 'undici';
import { DigestAuth } from '../src/atlas/auth.js';
import { Secret } from '../src/support/secret.js';

// The benchmark's naive Yoga server (issue #16): what a GraphQL server over the same Atlas GET costs
// when written the obvious way — graphql-yoga with its defaults, a plain SDL schema, and a resolver
// that calls Atlas for every field it resolves (undici, the same Digest auth with nonce reuse as the
// service and the ceiling). No DataLoader, no input validation, no limits, no logging, no metrics: a
// comparison point, run as its own child process. Env: NAIVE_UPSTREAM (the Atlas origin),
// NAIVE_PUBLIC_KEY, NAIVE_PRIVATE_KEY.
const upstream = new URL(process.env.NAIVE_UPSTREAM!);
const auth = new DigestAuth(process.env.NAIVE_PUBLIC_KEY!, new Secret(process.env.NAIVE_PRIVATE_KEY!));
const pool = new Pool(upstream.origin, { connections: 128, keepAliveTimeout: 30_000 });

/** GET an Atlas path with digest auth (one retry after a challenge); the parsed body of a 2xx. */
async function atlasGet(path: string): Promise<unknown> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const authorization = await auth.authorize('GET', path);
    const response = await pool.request({
      method: 'GET',
      path,
      headers: { accept: 'application/vnd.atlas.2023-01-01+json', ...(authorization ? { authorization } : {}) },
    });
    const body = await response.body.text();
    const challenge = response.headers['www-authenticate'];
    const retry = auth.onResponse(
      response.statusCode,
      Array.isArray(challenge) ? challenge[0] : challenge,
      authorization,
    );
    if (retry && attempt === 0) continue;
    if (response.statusCode >= 300) throw new GraphQLError(`Atlas answered HTTP ${response.statusCode}`);
    return JSON.parse(body) as unknown;
  }
  throw new GraphQLError('Atlas refused the credentials');
}

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type ServerlessSnapshot {
      id: ID!
      status: String
      createdAt: String
      expiresAt: String
      frequencyType: String
      mongodVersion: String
      storageSizeBytes: Float
    }
    type Query {
      serverlessSnapshot(groupId: ID!, clusterName: String!, snapshotId: ID!): ServerlessSnapshot
    }
  `,
  resolvers: {
    Query: {
      serverlessSnapshot: (_: unknown, args: { groupId: string; clusterName: string; snapshotId: string }) =>
        atlasGet(
          `/api/atlas/v2/groups/${args.groupId}/serverless/${args.clusterName}/backup/snapshots/${args.snapshotId}`,
        ),
    },
  },
});

const yoga = createYoga({ schema, logging: false });
const server = createServer((req, res) => void yoga(req, res));
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`naive yoga listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
