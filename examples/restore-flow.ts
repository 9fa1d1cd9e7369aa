// A restore dialog over atlas-backups-graphql, with urql (`npm install @urql/core graphql`); the flow of
// docs/backup-actions.md ("The restore flow a frontend should follow"). Copy it with frontend-client.ts.
//
// 1. `previewRestore` when the user has picked a snapshot and a target: a dry run, so every check the
//    server makes (validation, the snapshot completed, the target idle) shows up before anything is
//    written, and the dialog can show the exact Atlas request. The server checks the confirmation on
//    every run, dry runs included, so the preview repeats the target's name itself: it erases nothing.
//    It carries no idempotency key: a dry run ignores one, and the key names the confirmed intent.
// 2. The dialog asks the user to TYPE the target cluster's name, and makes one idempotency key for
//    this intent: `crypto.randomUUID()` when the user confirms.
// 3. `submitRestore` with what the user typed (refused here, with no request, when it differs) and
//    that key. A retry of the same click (a timeout, a network error, a double click) reuses the key:
//    the server answers it from its store (`replayed: true`, the same job) and Atlas gets one POST.
//    `outcome-unknown` means the request may have started a restore: show the message (it says how to
//    check: the cluster's restore jobs) and offer a new attempt, with a new key, only if there is none.
// 4. `watchRestoreJob` polls the job until it ends; live-status.ts watches it over a subscription instead.
// The caller needs the `backups:restore` scope: give its key or JWT to the client, e.g.
// `createAtlasBackupsClient(url, { authorization: 'Bearer <key or JWT>' })` (frontend-client.ts).
// Its documents are codegen's (`graphql()` from ./gql, `npm run codegen`): typed, and in the trusted-
// documents manifest, so the same client with `{ persisted: true }` runs them on a server with
// PERSISTED_DOCUMENTS_ONLY=true (docs/trusted-documents.md).
import type { Client, CombinedError } from '@urql/core';
import { graphql } from './gql/gql.js';

/** Where a restore job is; the last four are final (an AUTOMATED restore never becomes READY). */
export type RestoreJobState = 'PENDING' | 'READY' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'EXPIRED';

/** What the dialog shows of a restore job. */
export interface RestoreJob {
  id: string;
  state: RestoreJobState;
  snapshotId: string | null;
  targetGroupId: string | null;
  targetClusterName: string | null;
  finishedAt: string | null;
}

/** The Atlas request the server sends (or, in a preview, would send). */
export interface AtlasRequest {
  method: string;
  path: string;
  body: string | null;
}

/** The user's choice: which snapshot of which cluster goes onto which cluster (erasing its data). */
export interface RestoreChoice {
  groupId: string;
  clusterName: string;
  snapshotId: string;
  targetGroupId: string;
  targetClusterName: string;
}

// The restore job's fields the dialog shows (live-status.ts subscribes to the same): codegen adds the
// fragment to each document that spreads it.
graphql(`
  fragment RestoreJobFields on ClusterRestoreJob {
    id
    state
    snapshotId
    targetGroupId
    targetClusterName
    finishedAt
  }
`);

/** The restore, its dry run included: the payload's request, whether it was replayed, and the job. */
export const CreateClusterRestoreJobMutation = graphql(`
  mutation CreateClusterRestoreJob($input: CreateClusterRestoreJobInput!) {
    createClusterRestoreJob(input: $input) {
      dryRun
      replayed
      atlasRequest {
        method
        path
        body
      }
      restoreJob {
        ...RestoreJobFields
      }
    }
  }
`);

/** Which job to watch. */
export interface RestoreJobKey {
  groupId: string;
  clusterName: string;
  restoreJobId: string;
}

/** One restore job, as the watch polls it. */
export const ClusterRestoreJobQuery = graphql(`
  query ClusterRestoreJob($groupId: ID!, $clusterName: String!, $restoreJobId: ID!) {
    clusterRestoreJob(groupId: $groupId, clusterName: $clusterName, restoreJobId: $restoreJobId) {
      ...RestoreJobFields
    }
  }
`);

/** Why the server did not do it, by `extensions.code`, with its message (which says what to change). */
export type RestoreRefusal =
  | { kind: 'invalid-input'; field: string; message: string }
  | { kind: 'conflict'; field?: string; message: string }
  | { kind: 'not-found'; message: string }
  | { kind: 'forbidden'; scope?: string; hint?: string; message: string }
  | { kind: 'retry-later'; afterSeconds?: number }
  | { kind: 'error'; code: string; message: string };

/** What the preview shows: the request to confirm, or why it cannot be done. */
export type RestorePreview = { kind: 'preview'; atlasRequest: AtlasRequest } | RestoreRefusal;

/**
 * What a submit led to. On `retry-later` (or a network error) retry the same click with the same key:
 * a request that did reach Atlas is answered from the server's store, not sent again.
 */
export type RestoreSubmission =
  | { kind: 'submitted'; job: RestoreJob; replayed: boolean; atlasRequest: AtlasRequest }
  | { kind: 'name-mismatch'; expected: string }
  | { kind: 'outcome-unknown'; message: string }
  | RestoreRefusal;

/** How a watch ended: the job in a final state, stopped by `until`, or an error that polling cannot outlast. */
export type RestoreWatchEnd =
  { kind: 'finished'; job: RestoreJob } | { kind: 'stopped'; job: RestoreJob | null } | RestoreRefusal;

/** States a job never leaves. */
export const FINAL_STATES: ReadonlySet<RestoreJobState> = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'EXPIRED']);
/** Codes after which the same request may succeed later (polling goes on). */
const TRANSIENT = new Set(['RATE_LIMITED', 'UPSTREAM_TIMEOUT', 'UPSTREAM_ERROR', 'SERVER_BUSY', 'NETWORK_ERROR']);

/** The refusal an error stands for (see docs/errors.md); 'outcome-unknown' is the caller's to handle. */
export function refusalOf(
  error: CombinedError | undefined,
): RestoreRefusal | { kind: 'outcome-unknown'; message: string } {
  const first = error?.graphQLErrors[0];
  const ext = first?.extensions ?? {};
  const fromServer = ext.code;
  const code = typeof fromServer === 'string' ? fromServer : error?.networkError ? 'NETWORK_ERROR' : 'UNKNOWN';
  const message = first?.message ?? error?.message ?? 'No answer';
  // `input.snapshotId` → `snapshotId`: the form field to point at.
  const field = typeof ext.argument === 'string' ? ext.argument.replace(/^input\./, '') : undefined;
  switch (code) {
    case 'BAD_USER_INPUT':
      return { kind: 'invalid-input', field: field ?? 'input', message };
    case 'CONFLICT':
      return { kind: 'conflict', ...(field ? { field } : {}), message };
    case 'NOT_FOUND':
      return { kind: 'not-found', message };
    case 'FORBIDDEN': // `scope`: the caller's missing scope; `hint`: the Atlas role this service's credentials lack
      return {
        kind: 'forbidden',
        ...(typeof ext.scope === 'string' ? { scope: ext.scope } : {}),
        ...(typeof ext.hint === 'string' ? { hint: ext.hint } : {}),
        message,
      };
    case 'UPSTREAM_OUTCOME_UNKNOWN':
      return { kind: 'outcome-unknown', message };
    default:
      if (!TRANSIENT.has(code)) return { kind: 'error', code, message };
      return {
        kind: 'retry-later',
        ...(typeof ext.retryAfterSeconds === 'number' ? { afterSeconds: ext.retryAfterSeconds } : {}),
      };
  }
}

/** Reads write nothing, so an unknown outcome is not theirs: shown as any other error. */
const unexpected = (message: string): RestoreRefusal => ({ kind: 'error', code: 'UPSTREAM_OUTCOME_UNKNOWN', message });

/** Step 1: a dry run of the restore. Nothing is written; the answer is the Atlas request, or a refusal. */
export async function previewRestore(client: Client, choice: RestoreChoice): Promise<RestorePreview> {
  const input = { ...choice, deliveryType: 'AUTOMATED' as const, confirmTargetClusterName: choice.targetClusterName };
  const result = await client
    .mutation(CreateClusterRestoreJobMutation, { input: { ...input, dryRun: true } })
    .toPromise();
  const payload = result.data?.createClusterRestoreJob;
  if (payload) return { kind: 'preview', atlasRequest: payload.atlasRequest };
  const refusal = refusalOf(result.error);
  // A dry run sends nothing, so its outcome is never unknown.
  return refusal.kind === 'outcome-unknown' ? unexpected(refusal.message) : refusal;
}

/**
 * Step 3: the restore itself, confirmed by the name the user typed (compared here first, character
 * for character, so a typo costs no request) and sent with the dialog's `idempotencyKey`.
 */
export async function submitRestore(
  client: Client,
  choice: RestoreChoice,
  { typedTargetName, idempotencyKey }: { typedTargetName: string; idempotencyKey: string },
): Promise<RestoreSubmission> {
  if (typedTargetName !== choice.targetClusterName)
    return { kind: 'name-mismatch', expected: choice.targetClusterName };
  const input = { ...choice, deliveryType: 'AUTOMATED' as const, confirmTargetClusterName: typedTargetName };
  const result = await client
    .mutation(CreateClusterRestoreJobMutation, {
      input: { ...input, dryRun: false, idempotencyKey },
    })
    .toPromise();
  const payload = result.data?.createClusterRestoreJob;
  if (payload?.restoreJob)
    return {
      kind: 'submitted',
      job: payload.restoreJob,
      replayed: payload.replayed,
      atlasRequest: payload.atlasRequest,
    };
  return refusalOf(result.error);
}

/** Waits `ms`, or less when `signal` aborts. */
export const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });

/** How to watch: every `intervalMs` (@default 15000), `onUpdate` on each answer, until the job ends or `until` aborts (the dialog closed). */
export interface WatchOptions {
  intervalMs?: number;
  until?: AbortSignal;
  onUpdate?: (job: RestoreJob) => void;
}

/**
 * Step 4: polls `clusterRestoreJob` until the job is in a final state. Transient errors (rate limits,
 * Atlas unavailable, the network) wait and poll again; others (not found, forbidden) end the watch.
 */
export async function watchRestoreJob(
  client: Client,
  key: RestoreJobKey,
  { intervalMs = 15_000, until, onUpdate }: WatchOptions = {},
): Promise<RestoreWatchEnd> {
  let last: RestoreJob | null = null;
  for (;;) {
    if (until?.aborted) return { kind: 'stopped', job: last };
    // network-only: a client with a cache exchange would otherwise answer from its cache.
    const result = await client.query(ClusterRestoreJobQuery, key, { requestPolicy: 'network-only' }).toPromise();
    const job = result.data?.clusterRestoreJob;
    let wait = intervalMs;
    if (job) {
      last = job;
      onUpdate?.(job);
      if (FINAL_STATES.has(job.state)) return { kind: 'finished', job };
    } else {
      const refusal = refusalOf(result.error);
      if (refusal.kind === 'outcome-unknown') return unexpected(refusal.message);
      if (refusal.kind !== 'retry-later') return refusal;
      wait = Math.max(intervalMs, (refusal.afterSeconds ?? 0) * 1000);
    }
    await pause(wait, until);
  }
}
