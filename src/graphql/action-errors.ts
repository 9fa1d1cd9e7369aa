import { ActionRefusedError } from '../backups/actions/action.js';
import { IdempotencyKeyReusedError, type FailureDescriber } from '../backups/actions/action-runner.js';
import { AtlasOutcomeUnknownError, AtlasResponseError } from '../atlas/errors.js';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

// The backup actions' part of the one translation (errors.ts calls these): writes whose outcome is
// unknown, requests refused before sending, reused idempotency keys, and the Atlas roles writes need.

/** How to find out what became of a write whose outcome is unknown, per Atlas operation. */
const HOW_TO_CHECK: Readonly<Record<string, string>> = {
  takeSnapshots: 'list the cluster’s snapshots (`clusterSnapshots`) and look for a new on-demand one',
  updateBackupSnapshot: 'read the snapshot (`clusterSnapshot`) and compare its `expiresAt`',
  deleteClusterBackupSnapshot: 'read the snapshot (`clusterSnapshot`): NOT_FOUND means it was deleted',
  deleteBackupShardedCluster: 'read the snapshot (`clusterSnapshot`): NOT_FOUND means it was deleted',
  createBackupRestoreJob: 'list the cluster’s restore jobs (`clusterRestoreJobs`) and look for a new one',
  cancelBackupRestoreJob: 'read the restore job (`clusterRestoreJob`) and look at its `state`',
  updateBackupSchedule:
    'read the schedule (`cluster(groupId, name) { ... on DedicatedCluster { backupSchedule { … } } }`)',
  createBackupExport: 'list the cluster’s export jobs (`exportJobs`) and look for a new one',
  createFlexRestoreJob: 'list the Flex cluster’s restore jobs (`flexRestoreJobs`) and look for a new one',
  downloadFlexBackup: 'list the Flex cluster’s restore jobs (`flexRestoreJobs`) for a new DOWNLOAD job',
};

// Roles per README §10.1 (the spec's x-rolesRequirements, weakest role that may).
const BACKUP_MANAGER = 'This needs the Project Backup Manager role in Atlas.';
const RESTORE =
  'Restore jobs need the Project Backup Export Operator or Backup Recovery Operator role in Atlas (or Backup Manager).';
const FLEX_RESTORE = 'Flex restores need the Project Backup Recovery Operator role in Atlas (or Backup Manager).';
const EXPORT = 'Exports and downloads need the Project Backup Export Operator role in Atlas (or Backup Manager).';

/** The Atlas role a write's 403 is about (README §10.1), for the FORBIDDEN hint. */
export const WRITE_FORBIDDEN_HINTS: Readonly<Record<string, string>> = {
  takeSnapshots: 'On-demand snapshots need the Project Backup Creator role in Atlas (or Backup Manager).',
  updateBackupSnapshot: BACKUP_MANAGER,
  deleteClusterBackupSnapshot: BACKUP_MANAGER,
  deleteBackupShardedCluster: BACKUP_MANAGER,
  updateBackupSchedule: BACKUP_MANAGER,
  createBackupRestoreJob: RESTORE,
  cancelBackupRestoreJob: RESTORE,
  createFlexRestoreJob: FLEX_RESTORE,
  createBackupExport: EXPORT,
  downloadFlexBackup: EXPORT,
};

/** Atlas error codes whose meaning is not their HTTP status's: the code they become, and a hint. */
export const ERROR_CODE_OVERRIDES: Readonly<Record<string, { code: ErrorCode; hint: string }>> = {
  ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED: {
    code: 'BAD_USER_INPUT',
    hint: 'Atlas cannot cancel restore jobs of sharded clusters: the job runs to its end.',
  },
  UNFINISHED_ON_DEMAND_SNAPSHOT: {
    code: 'CONFLICT',
    hint: 'Atlas takes one on-demand snapshot at a time: try again once the one in progress has completed.',
  },
  CANNOT_CANCEL_AUTOMATED_RESTORE: {
    code: 'CONFLICT',
    hint: 'Atlas cancels download restore jobs only: an automated or point-in-time restore runs to its end.',
  },
  RESTORE_JOB_ALREADY_FINISHED: { code: 'CONFLICT', hint: 'The restore job has finished: nothing to cancel.' },
  ALREADY_EXPIRED: { code: 'CONFLICT', hint: 'The restore job has expired: nothing to cancel.' },
  CANNOT_MODIFY_IN_PROGRESS_SNAPSHOT_RETENTION: {
    code: 'CONFLICT',
    hint: 'Change the retention once the snapshot has completed.',
  },
  CANNOT_DELETE_IN_PROGRESS_SNAPSHOT: { code: 'CONFLICT', hint: 'Delete the snapshot once it has completed.' },
  // The project's Backup Compliance Policy refuses, not the input: only MongoDB support can lift it.
  CANNOT_DELETE_SNAPSHOT_WITH_BACKUP_COMPLIANCE_POLICY: {
    code: 'CONFLICT',
    hint: 'A Backup Compliance Policy protects this project’s snapshots: Atlas deletes them when they expire.',
  },
  CANNOT_DECREASE_SNAPSHOT_RETENTION_WITH_BACKUP_COMPLIANCE_POLICY: {
    code: 'CONFLICT',
    hint: 'A Backup Compliance Policy protects this project’s snapshots: their retention can grow, not shrink.',
  },
};

/** The code and message of one of the actions' own errors; undefined for any other error. */
export function fromActionError(
  error: unknown,
): { code: ErrorCode; message: string; extensions: Record<string, unknown> } | undefined {
  if (error instanceof AtlasOutcomeUnknownError) {
    const check = HOW_TO_CHECK[error.operation] ?? 'read the resource';
    return {
      code: 'UPSTREAM_OUTCOME_UNKNOWN',
      message: `${ERROR_CODES.UPSTREAM_OUTCOME_UNKNOWN.message}: ${error.happened}. It was not sent again; to find out whether it took effect, ${check}.`,
      extensions: { operation: error.operation },
    };
  }
  if (error instanceof ActionRefusedError) {
    const code = error.reason === 'conflict' ? 'CONFLICT' : 'BAD_USER_INPUT';
    const argument = error.field === undefined ? {} : { argument: `input.${error.field}` };
    return { code, message: `Refused before calling Atlas: ${error.message}.`, extensions: argument };
  }
  if (error instanceof IdempotencyKeyReusedError)
    return {
      code: 'BAD_USER_INPUT',
      message: `Invalid argument "input.idempotencyKey": ${error.message}.`,
      extensions: { argument: 'input.idempotencyKey' },
    };
  return undefined;
}

/** The status Atlas answered a failed write with, when it answered (the cause of an unknown outcome included). */
const atlasStatusOf = (error: unknown): number | undefined => {
  const answer = error instanceof AtlasOutcomeUnknownError ? error.cause : error;
  return answer instanceof AtlasResponseError ? answer.status : undefined;
};

/** What an audit line says of a failure: the code the caller got and Atlas's status. */
export const describeFailureWith =
  (translate: (error: unknown) => unknown): FailureDescriber =>
  (error) => {
    const translated = translate(error) as { extensions?: { code?: unknown } } | undefined;
    const code = translated?.extensions?.code;
    return { code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR', atlasStatus: atlasStatusOf(error) };
  };
