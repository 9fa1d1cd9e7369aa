import type { ActionTargets, BackupAction } from './action.js';
import type { ActionOutcome, RunOptions } from './action-runner.js';

/** How an attempt ended, for its audit line. */
export type AuditOutcome =
  | { result: 'done' | 'replayed' | 'dry-run'; outcome: ActionOutcome<unknown> }
  /** `replayed` too when the stored outcome of the key was this failure (an unknown outcome). */
  | { result: 'failed' | 'replayed'; failure: { code: string; atlasStatus?: number | undefined } };

/** One audit line's fields: who did what to which resources, and how it ended. */
export interface AuditRecord {
  /** Marks the line as an audit record, for log pipelines to route. */
  audit: true;
  /** The request's id (`x-request-id`), as in its request log line. */
  requestId: string;
  mutation: string;
  scope: string;
  /** The key's name or the JWT's `sub`. */
  caller: string;
  /** The identity budgets are kept under (`key:<digest prefix>`, `jwt:<issuer>/<subject>`, `address:<ip>`). */
  callerId: string;
  /** Whose Atlas credentials: `service`, or in forward mode `token:<digest>` of the caller's token. */
  atlasIdentity: string;
  targets: ActionTargets;
  idempotencyKey: string | null;
  dryRun: boolean;
  result: AuditOutcome['result'];
  /** The typed error code of a failure. */
  code: string | null;
  /** Atlas's HTTP status when Atlas answered a failure. */
  atlasStatus: number | null;
  /** The id of what the write made or changed (snapshot, restore job, export job). */
  resultId: string | null;
  durationMs: number;
}

/** The id of an action's result, when it has one. */
const idOf = (result: unknown): string | null => {
  const id = (result as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
};

/**
 * The audit line of one attempt. Built from ids, names and codes only: never a token, a delivery or
 * snapshot URL, an input's free text (descriptions) or an error's message (Atlas text).
 */
export function auditLine(
  action: Pick<BackupAction<unknown, unknown, never, unknown>, 'name' | 'scope' | 'targets'>,
  input: unknown,
  run: Pick<RunOptions, 'caller' | 'dryRun' | 'idempotencyKey' | 'requestId' | 'atlasIdentity'>,
  outcome: AuditOutcome,
  durationMs: number,
): AuditRecord {
  const failure = 'failure' in outcome ? outcome.failure : undefined;
  return {
    audit: true,
    requestId: run.requestId,
    mutation: action.name,
    scope: action.scope(input),
    caller: run.caller.name,
    callerId: run.caller.id,
    atlasIdentity: run.atlasIdentity,
    targets: action.targets(input),
    idempotencyKey: run.idempotencyKey ?? null,
    dryRun: run.dryRun,
    result: outcome.result,
    code: failure?.code ?? null,
    atlasStatus: failure?.atlasStatus ?? null,
    resultId: 'outcome' in outcome ? idOf(outcome.outcome.result) : null,
    durationMs: Math.round(durationMs),
  };
}
