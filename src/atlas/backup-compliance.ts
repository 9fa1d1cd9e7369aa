import { z } from 'zod';
import { policyItemSchema } from './backup-schedule.js';
import type { AtlasCallOptions, AtlasClient } from './client.js';
import { dateTimeSchema } from './date-time.js';
import { objectIdSchema } from './ids.js';
import { defineOperation } from './operation.js';
import { expandPath } from './path.js';
import { atlasArray, atlasText } from './wire-fields.js';

/** More scheduled items than a policy has (one per frequency). */
const MAX_POLICY_ITEMS = 64;

/**
 * `DataProtectionSettings20231001`, as recorded (README §10.3): `onDemandPolicyItem` arrives as
 * `null` (the spec does not allow it), `updatedUser` may be the public API key that last changed the
 * policy (the spec says email), and a project without a policy answers `{}` — so nothing is required.
 * `state` (`ACTIVE` `ENABLING` `UPDATING` `DISABLING`) is a plain string: the schema layer decides.
 * The authorized user's name and email are not read (not exposed).
 */
export const compliancePolicySchema = z.object({
  projectId: objectIdSchema.optional(),
  state: atlasText('enum').optional(),
  deletable: z.boolean().optional(),
  copyProtectionEnabled: z.boolean().optional(),
  encryptionAtRestEnabled: z.boolean().optional(),
  pitEnabled: z.boolean().optional(),
  restoreWindowDays: z.number().int().optional(),
  onDemandPolicyItem: policyItemSchema.nullish(),
  scheduledPolicyItems: atlasArray(policyItemSchema, MAX_POLICY_ITEMS).optional(),
  updatedDate: dateTimeSchema.optional(),
  /** An email address (up to 254 characters) or a public API key. */
  updatedUser: atlasText('description').optional(),
});

/** The compliance policy as Atlas describes it (`{}` when the project has none). */
export type CompliancePolicyBody = z.infer<typeof compliancePolicySchema>;

/** `GET /groups/{groupId}/backupCompliancePolicy` (Project Owner). */
export const getCompliancePolicy = defineOperation(
  'getCompliancePolicy',
  'application/vnd.atlas.2023-10-01+json',
  '/api/atlas/v2/groups/{groupId}/backupCompliancePolicy',
  compliancePolicySchema,
);

/** The project's backup compliance policy. */
export const fetchCompliancePolicy = (client: AtlasClient, groupId: string, options?: AtlasCallOptions) =>
  client.get(getCompliancePolicy, expandPath(getCompliancePolicy.template, { groupId }), options);
