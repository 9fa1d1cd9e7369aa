import { lookupDescription } from './arguments.js';
import { builder } from './builder.js';
import { clusterArgs } from './cluster-arguments.js';
import { ClusterRef } from './cluster.js';
import { keyedEntity, projectKeySchema } from './entity-keys.js';
import { connectionWithCount, edgeOptions, resolveConnection } from './pagination.js';

/** What a `Project` is here: its id. Every field reads from Atlas by it; the project itself costs no call. */
export interface ProjectRecord {
  id: string;
}

/** The `Project` type (an entity keyed by `id`); fields of other areas are added by their own files. */
export const ProjectRef = builder.objectRef<ProjectRecord>('Project').implement({
  description: 'An Atlas project (group): the entry to its clusters and their backups.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Project (group) id, as given: 24 lower-case hexadecimal characters.' }),
    clusters: t.connection(
      {
        type: ClusterRef,
        nullable: true,
        description:
          "The project's clusters that Atlas's `listClusters` returns (dedicated clusters), in Atlas order (creation), a page at a time.",
        resolve: (project, args, ctx, info) =>
          resolveConnection(args, info, (page) => ctx.loaders.clusters({ groupId: project.id }, page)),
      },
      connectionWithCount('Cluster', 'clusters'),
      edgeOptions('Cluster', 'clusters'),
    ),
    cluster: t.field({
      type: ClusterRef,
      nullable: true,
      description: lookupDescription(
        'One cluster of the project by name, dedicated or Flex (as the root `cluster` field; the same per-request loader).',
      ),
      args: { name: clusterArgs.anyClusterName },
      resolve: (project, { name }, ctx) => ctx.loaders.cluster.load({ groupId: project.id, clusterName: name }),
    }),
  }),
});

builder.queryFields((t) => ({
  project: t.field({
    type: ProjectRef,
    description:
      'One Atlas project by id. Costs no Atlas call by itself: its fields do (a project that does not exist, or that the credentials may not read, fails those).',
    args: { id: clusterArgs.projectId },
    resolve: (_root, { id }) => ({ id }),
  }),
}));

// Other subgraphs reach a project's clusters by its id.
keyedEntity(ProjectRef, {
  key: builder.selection<{ id: string }>('id'),
  schema: projectKeySchema,
  load: (_ctx, { id }) => Promise.resolve({ id }),
});
