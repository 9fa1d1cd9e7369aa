import { z } from 'zod';
import type { PolicyItemBody } from '../../atlas/backup-schedule.js';
import { backupWrites } from '../../atlas/backup-writes.js';
import { backupScheduleRecord, type BackupScheduleRecord } from '../backup-settings-records.js';
import { scheduleUpdateBody } from '../schedule-body.js';
import { scheduleUpdateSchema, type ScheduleUpdate } from '../schedule-rules.js';
import { ActionRefusedError, atlasWrite, type BackupAction, type SchemaOf } from './action.js';
import { actionInputFields, clusterOf, dedicatedClusterFor } from './checks.js';

// Update a dedicated cluster's backup schedule (README §10.1 op 14): the rules of §10.3 are
// checked by schedule-rules.ts before any call; new policy items take over the ids of the current
// ones (schedule-body.ts), so the current schedule is read first when the update changes them.

/**
 * The input of `updateClusterBackupSchedule`: the action fields, and the update checked by
 * `scheduleUpdateSchema` (its issues keep their paths, so they name the input field). A null field
 * is one not set.
 */
export const scheduleInputSchema = z.looseObject(actionInputFields).transform((input, ctx) => {
  const { groupId, clusterName, dryRun, idempotencyKey, clientMutationId, ...rest } = input;
  const fields = Object.fromEntries(Object.entries(rest).filter(([, value]) => value != null));
  const update = scheduleUpdateSchema.safeParse(fields);
  if (!update.success) {
    for (const issue of update.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  }
  return { groupId, clusterName, dryRun, idempotencyKey, clientMutationId, update: update.data };
});

type ScheduleInput = z.infer<typeof scheduleInputSchema>;

/** The one policy whose items an update replaces, and those items (their ids go to the new ones). */
type PolicyFacts = { policyId: string; current: readonly PolicyItemBody[] };

const changesItems = (update: ScheduleUpdate) => update.policyItems !== undefined;

/** Op 14 (Project Backup Manager): policy items, reference time, restore window, export prefix. */
export const updateClusterBackupSchedule: BackupAction<
  ScheduleInput,
  PolicyFacts,
  SchemaOf<typeof backupWrites.updateBackupSchedule>,
  BackupScheduleRecord
> = {
  name: 'updateClusterBackupSchedule',
  scope: () => 'backups:schedule',
  targets: clusterOf,
  async prepare(input, loaders) {
    if (!changesItems(input.update)) return { policyId: '', current: [] };
    const schedule = await loaders.backupSchedule.load(clusterOf(input));
    const policy = schedule.policies[0];
    if (policy?.id === undefined)
      throw new ActionRefusedError('conflict', `${input.clusterName}'s schedule has no policy to put the items in`);
    return { policyId: policy.id, current: policy.policyItems };
  },
  request: (input, facts) =>
    atlasWrite(
      backupWrites.updateBackupSchedule,
      clusterOf(input),
      scheduleUpdateBody(input.update, facts.policyId, facts.current),
    ),
  async check(input, loaders) {
    await dedicatedClusterFor(loaders, input);
    await loaders.backupSchedule.load(clusterOf(input));
  },
  settle(answer, input, loaders) {
    const schedule = backupScheduleRecord(clusterOf(input), answer);
    loaders.backupSchedule.clear(clusterOf(input));
    loaders.backupSchedule.prime(clusterOf(input), schedule);
    return schedule;
  },
};
