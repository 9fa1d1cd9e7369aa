import type { PolicyItemBody } from '../atlas/backup-schedule.js';
import type { ScheduleUpdate } from './schedule-rules.js';

// The PATCH body of updateBackupSchedule (op 14) for a validated update. "In the request body,
// provide only the fields that you want to update" (the spec's requestBody text): a field the update
// leaves out is not sent, and without policyItems no `policies` goes either — the spec marks
// `policies` required, yet Atlas answered 200 to a PATCH of `useOrgAndGroupNamesInExportPrefix`
// alone (README §10.2, examples/updateBackupSchedule/observed-schedule-update): the recording wins.
// `clusterName`, which the Atlas CLI also sends, is read-only in the spec and not sent.
//
// policyItems replace the policy's whole list, as the Terraform provider relies on (items left out
// of its PATCH disappear). Atlas keys items by `id`, read-only in the spec: an item sent with the id
// of a current item updates it, one without an id is created (the provider sends new items so). An
// item that keeps its id keeps its snapshots, which is what `updateSnapshots` re-times; so each
// new item takes the id of the current item of the same frequency and interval, else of the next
// unclaimed current item of its frequency (the provider pairs items by position within a frequency).

/** A policy item of an update. */
type NewPolicyItem = NonNullable<ScheduleUpdate['policyItems']>[number];

/** The new items, each with the id of the current item it replaces, if any. */
function withIds(
  items: readonly NewPolicyItem[],
  current: readonly PolicyItemBody[],
): (NewPolicyItem & { id?: string })[] {
  const unclaimed = current.filter((item) => item.id !== undefined);
  const claim = (matches: (item: PolicyItemBody) => boolean): string | undefined => {
    const at = unclaimed.findIndex(matches);
    return at < 0 ? undefined : unclaimed.splice(at, 1)[0]!.id;
  };
  const exact = items.map((item) =>
    claim((old) => old.frequencyType === item.frequencyType && old.frequencyInterval === item.frequencyInterval),
  );
  return items.map((item, i) => {
    const id = exact[i] ?? claim((old) => old.frequencyType === item.frequencyType);
    return id === undefined ? { ...item } : { id, ...item };
  });
}

/**
 * The body of `PATCH …/clusters/{clusterName}/backup/schedule` for `update`: the settings it sets and,
 * with policyItems, the one policy `policyId` holding them. `current` is the policy's items as
 * getBackupSchedule returned them, whose ids the new items take over.
 */
export function scheduleUpdateBody(update: ScheduleUpdate, policyId: string, current: readonly PolicyItemBody[] = []) {
  const { policyItems, ...settings } = update;
  const sent = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as Omit<
    ScheduleUpdate,
    'policyItems'
  >;
  return {
    ...sent,
    ...(policyItems && { policies: [{ id: policyId, policyItems: withIds(policyItems, current) }] }),
  };
}
