import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { digestGetter } from './digest-get.js';

// The benchmark's naive Yoga server (issue #16): what a GraphQL server over the same Atlas GET costs
// when written the obvious way — graphql-yoga with its defaults, a plain SDL schema, and a resolver
// that calls Atlas for every field it resolves (undici, the same Digest auth with nonce reuse as the
// service and the ceiling). No DataLoader, no input validation, no limits, no logging, no metrics: a
// comparison point, run as its own child process. Env: NAIVE_UPSTREAM (the Atlas origin),
// NAIVE_PUBLIC_KEY, NAIVE_PRIVATE_KEY.
const get = digestGetter(
  new URL(process.env.NAIVE_UPSTREAM!).origin,
  process.env.NAIVE_PUBLIC_KEY!,
  process.env.NAIVE_PRIVATE_KEY!,
);

/** GET an Atlas path; the parsed body of a 2xx. */
async function atlasGet(path: string): Promise<unknown> {
  const { status, body } = await get(path);
  if (status >= 300) throw new GraphQLError(`Atlas answered HTTP ${status}`);
  return JSON.parse(body) as unknown;
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
