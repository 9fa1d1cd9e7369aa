import type { z } from 'zod';
import type { AtlasMethod, AtlasOperation } from '../../atlas/operation.js';
import { expandPath } from '../../atlas/path.js';
import type { Loaders } from '../loaders.js';

/** One Atlas write, ready to send: the operation, its encoded path and its JSON body. */
export interface AtlasWrite<Schema extends z.ZodType> {
  operation: AtlasOperation<Schema>;
  path: string;
  body: unknown;
}

/** The answer schema of an operation, for an action's type parameters. */
export type SchemaOf<Operation> = Operation extends AtlasOperation<infer Schema> ? Schema : never;

/** An Atlas write as a caller sees it (a dry run's answer, the audit): exactly what is or would be sent. */
export interface AtlasRequestView {
  method: AtlasMethod;
  /** The path on the Atlas origin, e.g. `/api/atlas/v2/groups/…/backup/restoreJobs`. */
  path: string;
  /** The versioned media type sent as `Accept` (and `Content-Type` with a body). */
  mediaType: string;
  /** The JSON body, as sent; null for a DELETE. */
  body: string | null;
}

/** A write for `operation` at its template's path filled with `params`. */
export const atlasWrite = <Schema extends z.ZodType>(
  operation: AtlasOperation<Schema>,
  params: Readonly<Record<string, string>>,
  body?: unknown,
): AtlasWrite<Schema> => ({ operation, path: expandPath(operation.template, params), body });

/** How a write looks to its caller. */
export const viewOf = ({ operation, path, body }: AtlasWrite<z.ZodType>): AtlasRequestView => ({
  method: operation.method,
  path,
  mediaType: operation.accept,
  body: body === undefined ? null : JSON.stringify(body),
});

/** What an action acts on, for its audit line: ids and names only. */
export interface ActionTargets {
  groupId: string;
  clusterName: string;
  snapshotId?: string | undefined;
  restoreJobId?: string | undefined;
  targetGroupId?: string | undefined;
  targetClusterName?: string | undefined;
  exportBucketId?: string | undefined;
}

/**
 * A request Atlas would refuse, found before sending (a dry run's reads, or facts every run checks):
 * `conflict` (the resource is in the wrong state: the snapshot is not completed, a restore job has
 * finished) or `invalid` (the input names something that cannot work, e.g. a Flex target for a
 * dedicated restore). `field` names the input field at fault when there is one.
 */
export class ActionRefusedError extends Error {
  override readonly name = 'ActionRefusedError';
  constructor(
    readonly reason: 'conflict' | 'invalid',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * One backup action (a mutation's domain half): which scope it needs, what it targets, the Atlas
 * write it makes of a validated input, the reads that check a dry run, and what its answer becomes.
 * The guard rails (idempotency, dry run, audit, consistency) are the runner's, the same for every action.
 */
export interface BackupAction<Input, Facts, Schema extends z.ZodType, Result> {
  /** The mutation's name: audit lines and idempotency fingerprints carry it. */
  readonly name: string;
  /** The caller scope it needs for this input, e.g. `backups:restore` (enforced by the schema; in the audit line). */
  scope(input: Input): string;
  targets(input: Input): ActionTargets;
  /** Reads every run needs before it can write (e.g. which delete operation the cluster's topology takes). */
  prepare(input: Input, loaders: Loaders): Promise<Facts>;
  /** The Atlas write for this input. */
  request(input: Input, facts: Facts): AtlasWrite<Schema>;
  /** A dry run's reads: that what the write names exists and is in a state Atlas accepts; throws otherwise. */
  check(input: Input, loaders: Loaders, facts: Facts): Promise<void>;
  /**
   * Atlas's answer as the result record; primes this request's loaders with it and forgets the
   * lists it changed, so the rest of the request sees the write.
   */
  settle(answer: z.infer<Schema>, input: Input, loaders: Loaders, facts: Facts): Result;
}
