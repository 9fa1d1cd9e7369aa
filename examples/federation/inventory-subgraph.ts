import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';

// The inventory subgraph of examples/federation/inventory.graphql as a platform team would write it:
// its own store of clusters (here an array), `inventoryClusters` over it, and `Cluster` references
// answered by key. It never calls Atlas: what Atlas knows comes from the atlas-backups subgraph.

/** The inventory subgraph's SDL, as shipped. */
export const INVENTORY_SDL = readFileSync(new URL('./inventory.graphql', import.meta.url), 'utf8');

/** Where a cluster serves (the `InventoryEnvironment` enum). */
type Environment = 'PRODUCTION' | 'STAGING' | 'DEVELOPMENT';

/** One inventory entry: the cluster's entity key and what only the company knows about it. */
export interface InventoryCluster {
  groupId: string;
  name: string;
  owner: string;
  environment: Environment;
}

/** The inventory subgraph as a Yoga instance over `clusters` (it does not listen; mount it on any server). */
export function createInventorySubgraph(clusters: readonly InventoryCluster[]) {
  const schema = buildSubgraphSchema({
    typeDefs: parse(INVENTORY_SDL),
    resolvers: {
      Query: {
        inventoryClusters: (_: unknown, { environment }: { environment?: Environment | null }) =>
          environment ? clusters.filter((c) => c.environment === environment) : clusters,
      },
      Cluster: {
        __resolveReference: ({ groupId, name }: { groupId: string; name: string }) =>
          clusters.find((c) => c.groupId === groupId && c.name === name) ?? null,
      },
    },
  });
  return createYoga({ schema, graphqlEndpoint: '/graphql', logging: false });
}
