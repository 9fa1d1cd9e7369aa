import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { expect } from 'vitest';
import type { GraphQLResponse } from './helpers.js';

/** A second subgraph: its name, its SDL and the handler that serves it over HTTP. */
export interface Subgraph {
  name: string;
  sdl: string;
  handler: (req: IncomingMessage, res: ServerResponse) => unknown;
}

/** Hive Gateway over our committed schema.graphql and one other subgraph, each on a port of its own. */
export interface Gateway {
  /** The gateway's GraphQL endpoint (queries, and subscriptions over SSE or graphql-ws). */
  url: string;
  /** POSTs an operation to the gateway (with the caller's headers, which reach the subgraphs) and returns its parsed response. */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Stops the gateway, then the other subgraph's server. */
  close(): Promise<void>;
}

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
};

/** Serves `subgraph`, composes it with ours (served at `graphqlUrl`) and starts Hive Gateway over both. */
export async function startGateway(graphqlUrl: string, subgraph: Subgraph): Promise<Gateway> {
  const subgraphServer = createServer((req, res) => void subgraph.handler(req, res));
  const composed = composeServices([
    {
      name: 'atlas-backups',
      typeDefs: parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8')),
      url: graphqlUrl,
    },
    { name: subgraph.name, typeDefs: parse(subgraph.sdl), url: await listen(subgraphServer) },
  ]);
  expect(composed.errors ?? []).toEqual([]);
  const gateway = createGatewayRuntime({
    supergraph: composed.supergraphSdl!,
    logging: false,
    // Subscriptions reach atlas-backups over SSE, the HTTP transport's default, but as a POST: its
    // default GET (the operation in the URL) is refused by the subgraph's CSRF prevention.
    transportEntries: { 'atlas-backups': { options: { method: 'POST' } } },
    // The caller's credentials reach the subgraphs, subscriptions included (same headers as a query).
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({
        'x-api-key': request.headers.get('x-api-key'),
        authorization: request.headers.get('authorization'),
      }),
    },
  });
  const gatewayServer = createServer((req, res) => void gateway(req, res));
  const gatewayUrl = await listen(gatewayServer);
  return {
    url: gatewayUrl,
    async query<T>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
      const response = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<T>;
    },
    async close() {
      // A client's subscription stream may outlive its test: cut what is still open.
      const closed = new Promise((r) => gatewayServer.close(r));
      gatewayServer.closeAllConnections();
      await closed;
      await gateway.dispose();
      await new Promise((r) => subgraphServer.close(r));
    },
  };
}
