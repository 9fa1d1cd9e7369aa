import type { Logger } from 'pino';
import type { z } from 'zod';
import type { AtlasClient } from '../../atlas/client.js';
import { AtlasOutcomeUnknownError } from '../../atlas/errors.js';
import type { ReadScope } from '../../atlas/read-cache.js';
import type { Loaders } from '../loaders.js';
import { viewOf, type ActionTargets, type AtlasRequestView, type BackupAction } from './action.js';
import { auditLine, type AuditOutcome } from './audit.js';
import { fingerprintOf, type IdempotencyStore, type StoredOutcome } from './idempotency.js';
import { outcomeUnknownRecord, replayedFailure } from './stored-failure.js';

/** Who runs an action, as the caller-auth door identified them. */
export interface ActionCaller {
  /** The identity budgets and idempotency keys are kept under (`key:…`, `jwt:…`, `address:…`). */
  id: string;
  /** For people: the key's name or the JWT's `sub`. */
  name: string;
}

/** How one run was asked for. */
export interface RunOptions {
  caller: ActionCaller;
  /** The GraphQL request's id, for the audit line. */
  requestId: string;
  /**
   * Whose Atlas credentials the write uses (`service`, or a digest of the caller's forwarded token):
   * a replay goes only to the same caller with the same Atlas credentials, since it skips Atlas's check.
   */
  atlasIdentity: string;
  dryRun: boolean;
  idempotencyKey: string | undefined;
  loaders: Loaders;
}

/** What a run gives back: the request (sent or not) and, unless dry, the result. */
export interface ActionOutcome<Result> {
  dryRun: boolean;
  /** The same key and input ran before: this is its result, and nothing was sent now. */
  replayed: boolean;
  request: AtlasRequestView;
  /** What the action acted on (the payload's lookups of what a 204 left, e.g. the cancelled job). */
  targets: ActionTargets;
  /** Null for a dry run, and for a write Atlas answers without a body (the deletes). */
  result: Result | null;
}

/** What the audit line says of a failure: its code (the GraphQL translator's) and Atlas's status. */
export type FailureDescriber = (error: unknown) => { code: string; atlasStatus?: number | undefined };

/** The process-wide parts of every action run. */
export interface ActionRunnerOptions {
  client: AtlasClient;
  idempotency: IdempotencyStore;
  /** Where the audit lines go (one per attempt, `audit: true`). */
  logger: Logger;
  describeFailure: FailureDescriber;
}

/**
 * Runs backup actions with the guard rails every one of them gets, in one place: a dry run reads and
 * answers with the request it would send; an idempotency key replays the first result of the same
 * key and input (0 Atlas calls; another input with the key is refused); a write is sent once and
 * never blindly retried (AtlasClient.send); the request's loaders see the result; and each attempt
 * leaves one audit line. Validation, confirmation and scopes come first, in the schema.
 */
export class ActionRunner {
  constructor(private readonly options: ActionRunnerOptions) {}

  async run<Input extends Record<string, unknown>, Facts, Schema extends z.ZodType, Result>(
    action: BackupAction<Input, Facts, Schema, Result>,
    input: Input,
    run: RunOptions,
  ): Promise<ActionOutcome<Result>> {
    const started = performance.now();
    const audit = (outcome: AuditOutcome) =>
      this.options.logger.info(auditLine(action, input, run, outcome, performance.now() - started), 'backup action');
    const replay = { of: false };
    try {
      const outcome = run.dryRun
        ? await this.#dryRun(action, input, run)
        : await this.#once(action, input, run, replay);
      audit({ result: outcome.replayed ? 'replayed' : run.dryRun ? 'dry-run' : 'done', outcome });
      return outcome;
    } catch (error) {
      audit({ result: replay.of ? 'replayed' : 'failed', failure: this.options.describeFailure(error) });
      throw error;
    }
  }

  async #dryRun<Input extends Record<string, unknown>, Facts, Schema extends z.ZodType, Result>(
    action: BackupAction<Input, Facts, Schema, Result>,
    input: Input,
    { loaders }: RunOptions,
  ): Promise<ActionOutcome<Result>> {
    const facts = await action.prepare(input, loaders);
    const request = viewOf(action.request(input, facts));
    await action.check(input, loaders, facts);
    return { dryRun: true, replayed: false, request, targets: action.targets(input), result: null };
  }

  /** The write, once per idempotency key and input. */
  async #once<Input extends Record<string, unknown>, Facts, Schema extends z.ZodType, Result>(
    action: BackupAction<Input, Facts, Schema, Result>,
    input: Input,
    run: RunOptions,
    replay: { of: boolean },
  ): Promise<ActionOutcome<Result>> {
    if (run.idempotencyKey === undefined) return this.#write(action, input, run);
    const claim = await this.options.idempotency.claim(
      `${run.caller.id}\0${run.atlasIdentity}\0${run.idempotencyKey}`,
      fingerprintOf(action.name, input),
    );
    if (claim.kind === 'mismatch') throw new IdempotencyKeyReusedError(run.idempotencyKey);
    if (claim.kind === 'replay') {
      replay.of = true;
      const stored = await claim.outcome;
      if (!stored.ok) throw replayedFailure(stored.error, action.name);
      return { ...(stored.value as ActionOutcome<Result>), replayed: true };
    }
    try {
      const outcome = await this.#write(action, input, run);
      // Plain data (strings, numbers, null): it survives the JSON of a shared store as it is.
      claim.settle({ ok: true, value: outcome } satisfies StoredOutcome);
      return outcome;
    } catch (error) {
      // A write that may have reached Atlas keeps its key: a repeat gets this error, never a second write.
      if (error instanceof AtlasOutcomeUnknownError) claim.settle({ ok: false, error: outcomeUnknownRecord(error) });
      else claim.release(error);
      throw error;
    }
  }

  async #write<Input extends Record<string, unknown>, Facts, Schema extends z.ZodType, Result>(
    action: BackupAction<Input, Facts, Schema, Result>,
    input: Input,
    { loaders }: RunOptions,
  ): Promise<ActionOutcome<Result>> {
    const facts = await action.prepare(input, loaders);
    const write = action.request(input, facts);
    const { client } = this.options;
    let answer: z.infer<Schema>;
    try {
      answer = await client.send(write.operation, write.path, write.body, loaders.writeCall);
    } finally {
      // Whatever Atlas answered (a failure may have changed something too), every replica's cached
      // reads of what it targets are forgotten before the payload is returned.
      await client.forgetReads(changedBy(action.targets(input)));
    }
    const result = action.settle(answer, input, loaders, facts);
    return { dryRun: false, replayed: false, request: viewOf(write), targets: action.targets(input), result };
  }
}

/** The resources a write to `targets` may change: its cluster and, for a restore, the target cluster and its project's list. */
const changedBy = ({ groupId, clusterName, targetGroupId, targetClusterName }: ActionTargets): ReadScope[] => [
  { groupId, clusterName },
  ...(targetClusterName === undefined
    ? []
    : [{ groupId: targetGroupId ?? groupId, clusterName: targetClusterName }, { groupId: targetGroupId ?? groupId }]),
];

/** An idempotency key came back with another input than the one it was first used with. */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(readonly key: string) {
    super('this idempotencyKey was used with another input; use a new key for a new request');
  }
}
