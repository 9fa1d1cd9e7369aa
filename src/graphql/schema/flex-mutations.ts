import {
  downloadFlexSnapshot,
  flexDownloadInputSchema,
  flexRestoreInputSchema,
  restoreFlexSnapshot,
} from '../../backups/actions/flex-actions.js';
import { FlexRestoreJobRef } from './flex-restore-job.js';
import { actionMutation } from './mutation-kit.js';
import { flexInputFields, targetInputFields } from './mutation-inputs.js';

// The Flex backup mutations (docs/backup-actions.md).

actionMutation('restoreFlexSnapshot', restoreFlexSnapshot, {
  description:
    'Restores a Flex snapshot into a cluster, Flex or dedicated, optionally in another project (Atlas `createFlexRestoreJob`; Project Backup Recovery Operator; scope `backups:restore`). It erases all data on the target cluster: `confirmTargetClusterName` must repeat its name.',
  schema: flexRestoreInputSchema,
  inputFields: (t) => ({ ...flexInputFields(t), ...targetInputFields(t, true) }),
  resultFields: (t) => ({
    restoreJob: t.expose('result', {
      type: FlexRestoreJobRef,
      nullable: true,
      description: 'The new restore job, `PENDING` (null in a dry run).',
    }),
  }),
});

actionMutation('downloadFlexSnapshot', downloadFlexSnapshot, {
  description:
    'Asks for a download link to a Flex snapshot (Atlas `downloadFlexBackup`; Project Backup Export Operator; scope `backups:download`). The job’s `snapshotUrl` is pre-signed and works for four hours: a secret.',
  schema: flexDownloadInputSchema,
  inputFields: flexInputFields,
  resultFields: (t) => ({
    restoreJob: t.expose('result', {
      type: FlexRestoreJobRef,
      nullable: true,
      description: 'The download job, with `snapshotUrl` (null in a dry run).',
    }),
  }),
});
