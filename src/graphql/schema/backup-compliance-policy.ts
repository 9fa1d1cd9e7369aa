import type { CompliancePolicyRecord } from '../../backups/backup-settings-records.js';
import { pathArgs } from './arguments.js';
import { BackupPolicyItemRef } from './backup-policy-items.js';
import { BackupCompliancePolicyStateRef, COMPLIANCE_STATES } from './backup-settings-enums.js';
import { builder } from './builder.js';
import { knownEnumValue } from './enum-value.js';

/** A Boolean the spec defaults to false: absent is false. */
const flag = (description: string) => ({ description: `${description} (Atlas's default: false.)` });

/** The `BackupCompliancePolicy` type. */
export const BackupCompliancePolicyRef = builder.objectRef<CompliancePolicyRecord>('BackupCompliancePolicy').implement({
  description:
    'The backup compliance policy of a project: the minimum backup policy every cluster keeps, and what nobody may ' +
    'change (Atlas operation `getCompliancePolicy`, API version 2023-10-01). Atlas requires Project Owner for it.',
  fields: (t) => ({
    groupId: t.exposeID('groupId', { description: 'Id of the Atlas project (group), as given.' }),
    projectId: t.exposeID('projectId', { nullable: true, description: 'Id of the project, as Atlas reports it.' }),
    state: t.field({
      type: BackupCompliancePolicyStateRef,
      nullable: true,
      description: 'Where the policy is. Null when absent or a value this schema does not know.',
      resolve: (p, _a, ctx) => knownEnumValue(COMPLIANCE_STATES, p.state, 'BackupCompliancePolicy.state', ctx.logger),
    }),
    deletable: t.boolean({
      ...flag('Whether the policy may be turned off; true only after a request to MongoDB Support.'),
      resolve: (p) => p.deletable ?? false,
    }),
    copyProtectionEnabled: t.boolean({
      ...flag('Whether snapshot copies in other regions are kept when a copy region is removed.'),
      resolve: (p) => p.copyProtectionEnabled ?? false,
    }),
    encryptionAtRestEnabled: t.boolean({
      ...flag('Whether clusters must encrypt their storage with the customer’s key.'),
      resolve: (p) => p.encryptionAtRestEnabled ?? false,
    }),
    pitEnabled: t.boolean({
      ...flag('Whether clusters must keep continuous cloud backup (point-in-time restores).'),
      resolve: (p) => p.pitEnabled ?? false,
    }),
    restoreWindowDays: t.exposeInt('restoreWindowDays', {
      nullable: true,
      description: 'Days back a point-in-time restore must be able to reach.',
    }),
    onDemandPolicyItem: t.expose('onDemandPolicyItem', {
      type: BackupPolicyItemRef,
      nullable: true,
      description: 'The minimum retention of on-demand snapshots; null when none is set (Atlas sends null).',
    }),
    scheduledPolicyItems: t.field({
      type: [BackupPolicyItemRef],
      description: 'The minimum scheduled policy items every cluster’s schedule keeps.',
      resolve: (p) => p.scheduledPolicyItems ?? [],
    }),
    updatedDate: t.expose('updatedDate', {
      type: 'DateTime',
      nullable: true,
      description: 'When the policy was last changed (UTC).',
    }),
    updatedUser: t.exposeString('updatedUser', {
      nullable: true,
      description:
        'Who last changed the policy: an email address, or the public API key (not an email) when a key changed it.',
    }),
  }),
});

builder.queryFields((t) => ({
  backupCompliancePolicy: t.field({
    type: BackupCompliancePolicyRef,
    nullable: true,
    description:
      'The backup compliance policy of one project (`GET /groups/{groupId}/backupCompliancePolicy`); Atlas requires ' +
      'Project Owner for it. Null without an error when the project has none (Atlas answers `{}`); null with a typed ' +
      'error (`extensions.code`) when it cannot be returned.',
    args: { groupId: pathArgs.groupId },
    resolve: (_root, { groupId }, ctx) => ctx.loaders.compliancePolicy.load(groupId),
  }),
}));
