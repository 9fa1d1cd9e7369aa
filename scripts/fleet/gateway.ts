import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

// `npm run fleet`'s gateway: Hive Gateway over the committed schema.graphql, its one subgraph served
// by N replicas. Hive Gateway has one URL per subgraph and no balancer of its own; its `onFetch` hook
// may change the URL of every subgraph request, so a plugin sends each to the next live replica in
// turn (queries, mutations and SSE subscription streams alike). In production a load balancer in
// front of the replicas (a Kubernetes Service, an ALB) does this instead.

/** The subgraph URL composed into the supergraph: never fetched, each request is sent to a replica. */
const SUBGRAPH_PLACEHOLDER = 'http://atlas-backups.replicas.invalid/graphql';

/** One replica as the gateway sees it. */
export interface GatewayReplica {
  /** Its GraphQL URL, `http://127.0.0.1:<port>/graphql`. */
  readonly url: string;
  /** False once its process has exited: skipped. */
  alive(): boolean;
}

/** The running gateway. */
export interface FleetGateway {
  /** Its GraphQL endpoint (GraphiQL in a browser). */
  readonly url: string;
  /** Subgraph requests each replica answered with a 2xx, by replica index. */
  readonly answered: readonly number[];
  close(): Promise<void>;
}

/** Rewrites each subgraph request to the next live replica, round-robin, and counts their answers. */
function roundRobin(replicas: readonly GatewayReplica[], answered: number[]): GatewayPlugin {
  let next = 0;
  return {
    onFetch(payload) {
      if (payload.url !== SUBGRAPH_PLACEHOLDER) return undefined;
      for (let tried = 0; tried < replicas.length; tried += 1) {
        const i = next;
        next = (next + 1) % replicas.length;
        if (!replicas[i]!.alive()) continue;
        payload.setURL(replicas[i]!.url);
        return ({ response }) => {
          if (response.ok) answered[i]! += 1;
        };
      }
      // None alive: the placeholder is fetched and fails, and the caller gets the gateway's error.
      return undefined;
    },
  };
}

/** Composes schema.graphql as the subgraph `atlas-backups` and serves Hive Gateway on `host:port` (0: free). */
export async function startFleetGateway(
  replicas: readonly GatewayReplica[],
  host: string,
  port: number,
): Promise<FleetGateway> {
  const composed = composeServices([
    {
      name: 'atlas-backups',
      typeDefs: parse(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8')),
      url: SUBGRAPH_PLACEHOLDER,
    },
  ]);
  if (composed.errors?.length || !composed.supergraphSdl)
    throw new Error(`composition failed: ${(composed.errors ?? []).map((e) => e.message).join('; ')}`);
  const answered = replicas.map(() => 0);
  const gateway = createGatewayRuntime({
    supergraph: composed.supergraphSdl,
    logging: 'error',
    plugins: () => [roundRobin(replicas, answered)],
    // Subscriptions reach the replicas over SSE as a POST (their CSRF prevention refuses the GET).
    transportEntries: { 'atlas-backups': { options: { method: 'POST' } } },
    // The caller's credentials reach the replicas, which authenticate callers themselves.
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({
        'x-api-key': request.headers.get('x-api-key'),
        authorization: request.headers.get('authorization'),
      }),
    },
  });
  const server = createServer((req, res) => void gateway(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}/graphql`,
    answered,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await gateway.dispose();
    },
  };
}
