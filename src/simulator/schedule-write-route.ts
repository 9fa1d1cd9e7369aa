import { SimApiError } from './api-error.js';
import {
  CLUSTER,
  noBackupConfig,
  SCHEDULE_2023,
  SCHEDULE_MEDIA,
  BACKUP_MEDIA,
  scheduleView,
} from './cloud-backup-routes.js';
import type { SimBackupSchedule, SimDedicatedCluster } from './cloud-backup-state.js';
import { dedicatedCluster } from './cluster-routes.js';
import { route, type Route, type RouteRequest } from './route.js';
import { scheduleRequest, type CopySettingRequest, type ScheduleRequest } from './schedule-request.js';
import { newObjectId } from './sim-ids.js';
import { parseWrite } from './write-validation.js';

type Policy = SimBackupSchedule['policies'][number];

/** The policy of a schedule that has none (never seeded; a schedule emptied some other way). */
const emptyPolicy = (now: number): Policy => ({ id: newObjectId(now), policyItems: [] });

/**
 * The policy after a PATCH: its items become the ones sent. An item naming an `id` keeps it (it must
 * be one of the policy's: 400 INVALID_POLICY_ITEM_ID) and its frequency type (400
 * INVALID_FREQUENCY_TYPE_CHANGE); a new item gets an id. A policy `id` must be the policy's own (400
 * INVALID_POLICY_ID).
 */
function mergePolicy(current: Policy, sent: NonNullable<ScheduleRequest['policies']>[number], now: number): Policy {
  if (sent.id !== undefined && sent.id !== current.id) {
    throw new SimApiError(400, 'INVALID_POLICY_ID', `The policy id ${sent.id} is invalid.`, [sent.id]);
  }
  const policyItems = sent.policyItems.map(({ id, ...item }) => {
    if (id === undefined) return { ...item, id: newObjectId(now) };
    const old = current.policyItems.find((i) => i.id === id);
    if (!old)
      throw new SimApiError(400, 'INVALID_POLICY_ITEM_ID', `The specified policy item id ${id} does not exist.`, [id]);
    if (old.frequencyType !== item.frequencyType) {
      const detail = 'The frequency type of a policy item must not be changed.';
      throw new SimApiError(400, 'INVALID_FREQUENCY_TYPE_CHANGE', detail);
    }
    return { ...item, id };
  });
  return { id: current.id, policyItems };
}

/** A copy setting as stored (keyed by zone): 2023-01-01 names the replication spec, 2024-08-05 the zone. */
function byZone(
  c: SimDedicatedCluster,
  { replicationSpecId, zoneId, ...setting }: CopySettingRequest,
  legacy: boolean,
  n: number,
) {
  const field = legacy ? 'replicationSpecId' : 'zoneId';
  const given = legacy ? replicationSpecId : zoneId;
  const attribute = `copySettings.${n}.${field}`;
  if (given === undefined) {
    throw new SimApiError(400, 'MISSING_ATTRIBUTE', `The required attribute ${attribute} was not specified.`, [
      attribute,
    ]);
  }
  const spec = c.replicationSpecs.find((s) => (legacy ? s.id : s.zoneId) === given);
  if (!spec) throw new SimApiError(400, 'INVALID_ATTRIBUTE', `Invalid attribute ${attribute} specified.`, [attribute]);
  return { ...setting, zoneId: spec.zoneId };
}

/**
 * op 14: merges the fields sent into the schedule (lists replace lists) and answers the schedule in
 * the negotiated version. 404 BACKUP_CONFIG_NOT_FOUND without a backup configuration, 404
 * EXPORT_BUCKET_NOT_FOUND for an export to a bucket the project has not.
 */
function updateSchedule(req: RouteRequest) {
  const { group, cluster } = dedicatedCluster(req, 'manageSchedule');
  const current = cluster.schedule;
  if (!current) throw noBackupConfig(cluster, group.id);
  const { policies, copySettings, autoCopySettingsEnabled, ...fields } = parseWrite(scheduleRequest, req.body);
  const legacy = req.mediaType !== SCHEDULE_MEDIA;
  const bucketId = fields.export?.exportBucketId;
  if (bucketId !== undefined && !group.cloud?.exportBuckets.has(bucketId)) {
    throw new SimApiError(404, 'EXPORT_BUCKET_NOT_FOUND', `No export bucket with ID ${bucketId} exists.`, [bucketId]);
  }
  const now = req.lifecycles.clock.now();
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  cluster.schedule = {
    ...current,
    ...defined,
    ...(autoCopySettingsEnabled === undefined || legacy ? {} : { autoCopySettingsEnabled }),
    policies: policies ? [mergePolicy(current.policies[0] ?? emptyPolicy(now), policies[0]!, now)] : current.policies,
    copySettings: copySettings ? copySettings.map((s, n) => byZone(cluster, s, legacy, n)) : current.copySettings,
  };
  return scheduleView(req, cluster);
}

/** The schedule write of README §10.1: op 14 (Project Backup Manager), in both media types of the read. */
export const scheduleWriteRoutes: Route[] = [
  route('updateBackupSchedule', `${CLUSTER}/schedule`, SCHEDULE_MEDIA, updateSchedule, {
    method: 'PATCH',
    olderMediaTypes: { [BACKUP_MEDIA]: SCHEDULE_2023 },
  }),
];
