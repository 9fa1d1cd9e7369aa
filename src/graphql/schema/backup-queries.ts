import type { ObjectRef } from '@pothos/core';
import type { Page } from '../../backups/backup-reader.js';
import type { Context } from '../context.js';
import type { PageRequest } from '../../atlas/pagination.js';
import { ARG_DESCRIPTIONS, parseArguments, pathArgs, upstream } from './arguments.js';
import { builder } from './builder.js';
import { connectionWithCount, resolveConnection } from './pagination.js';

/** The schema types of our builder. */
type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** The path argument naming the instance or cluster, and the one naming the item. */
type ContainerArg = 'clusterName' | 'name';
type ItemArg = 'snapshotId' | 'restoreJobId';

/** The validated path parameters of a lookup. */
type ListKey<C extends ContainerArg> = { groupId: string } & Record<C, string>;
type ItemKey<C extends ContainerArg, I extends ItemArg> = ListKey<C> & Record<I, string>;

/** One backup resource: a `get` query field and a Relay `list` query field over it. */
export interface BackupQueriesSpec<Model, C extends ContainerArg, I extends ItemArg> {
  type: ObjectRef<Types, Model>;
  /** Prefix of the connection and edge type names, e.g. `FlexSnapshot`. */
  typeName: string;
  /** Plural words for descriptions, e.g. `Flex snapshots`. */
  items: string;
  container: C;
  itemId: I;
  get: { field: string; description: string; load: (ctx: Context, key: ItemKey<C, I>) => Promise<Model> };
  list: {
    field: string;
    description: string;
    load: (ctx: Context, key: ListKey<C>, page: PageRequest) => Promise<Page<Model>>;
  };
  /** Added to a FORBIDDEN from Atlas (e.g. the role an operation needs). */
  forbiddenHint?: string;
}

/**
 * Defines the two query fields of a backup resource: arguments validated before any call, typed
 * errors, the per-request loaders behind them, and forward pagination over Atlas pages.
 */
export function defineBackupQueries<Model, C extends ContainerArg, I extends ItemArg>(
  spec: BackupQueriesSpec<Model, C, I>,
): void {
  const listShape = { groupId: pathArgs.groupId, [spec.container]: pathArgs[spec.container] };
  const itemShape = { ...listShape, [spec.itemId]: pathArgs[spec.itemId] };
  const options = spec.forbiddenHint ? { forbiddenHint: spec.forbiddenHint } : undefined;
  builder.queryFields((t) => {
    const listArgs = () => ({
      groupId: t.arg.id({ required: true, description: ARG_DESCRIPTIONS.groupId }),
      [spec.container]: t.arg.string({ required: true, description: ARG_DESCRIPTIONS[spec.container] }),
    });
    return {
      [spec.get.field]: t.field({
        type: spec.type,
        nullable: true,
        description: `${spec.get.description} Null with a typed error (\`extensions.code\`) when it cannot be returned.`,
        args: {
          ...listArgs(),
          [spec.itemId]: t.arg.id({ required: true, description: ARG_DESCRIPTIONS[spec.itemId] }),
        },
        resolve: (_root, args, ctx) => {
          // parseArguments checked exactly these keys; TypeScript cannot follow computed keys.
          const key = parseArguments(itemShape, args) as ItemKey<C, I>;
          // Pothos cannot evaluate its list-or-item conditional return type for a generic Model.
          return upstream(() => spec.get.load(ctx, key), options) as never;
        },
      }),
      [spec.list.field]: t.connection(
        {
          type: spec.type,
          nullable: true,
          description: spec.list.description,
          args: listArgs(),
          resolve: (_root, args, ctx, info) => {
            const key = parseArguments(listShape, args) as ListKey<C>;
            return upstream(() => resolveConnection(args, info, (page) => spec.list.load(ctx, key, page)), options);
          },
        },
        connectionWithCount(spec.typeName, spec.items),
        { name: `${spec.typeName}Edge`, description: `One of the ${spec.items} and its cursor.` },
      ),
    };
  });
}
