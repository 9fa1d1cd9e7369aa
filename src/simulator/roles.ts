import { SimApiError } from './api-error.js';
import type { RouteRequest } from './route.js';
import type { SimProject } from './seed.js';

/**
 * The project roles the simulator models, by their Atlas API names (docs "Atlas User Roles": Project
 * Read Only, Backup Creator, Backup Recovery Operator, Backup Export Operator, Backup Manager, Owner).
 * Each is a set of permissions, not a rung of a ladder: a Recovery Operator may restore but neither
 * delete snapshots nor export them. The spec's `x-rolesRequirements` name the role an operation needs
 * (README §10.1); an operation that names two (restore jobs: Export or Recovery Operator) takes either.
 */
export type SimRole =
  | 'GROUP_READ_ONLY'
  | 'GROUP_BACKUP_CREATOR'
  | 'GROUP_BACKUP_RECOVERY_OPERATOR'
  | 'GROUP_BACKUP_EXPORT_OPERATOR'
  | 'GROUP_BACKUP_MANAGER'
  | 'GROUP_OWNER';

/** What a key holds in one project: a role, or several (their permissions add up). */
export type SimRoleGrant = SimRole | readonly SimRole[];

/** What an operation needs; each write of README §10.1 maps to one (see the write routes). */
export type SimPermission =
  /** Snapshots, schedules, clusters, export buckets (Project Read Only). */
  | 'read'
  /** Restore-job and export reads (Project Backup Manager, README §10.6 item 9). */
  | 'readBackupJobs'
  /** takeSnapshots (Project Backup Creator). */
  | 'takeSnapshot'
  /** Snapshot retention and deletion (Project Backup Manager). */
  | 'manageSnapshots'
  /** updateBackupSchedule (Project Backup Manager). */
  | 'manageSchedule'
  /** createBackupRestoreJob, cancelBackupRestoreJob (Export or Recovery Operator). */
  | 'restore'
  /** createFlexRestoreJob (Recovery Operator). */
  | 'restoreFlex'
  /** createBackupExport, downloadFlexBackup (Export Operator). */
  | 'export'
  /** The compliance policy and serverless restore jobs (Project Owner). */
  | 'owner';

const BACKUP_MANAGER: readonly SimPermission[] = [
  'read',
  'readBackupJobs',
  'takeSnapshot',
  'manageSnapshots',
  'manageSchedule',
  'restore',
  'restoreFlex',
  'export',
];

/** Each role's permissions; the Backup Manager inherits the three operators' (docs "Atlas User Roles"). */
const PERMISSIONS: Record<SimRole, readonly SimPermission[]> = {
  GROUP_READ_ONLY: ['read'],
  GROUP_BACKUP_CREATOR: ['read', 'takeSnapshot'],
  GROUP_BACKUP_RECOVERY_OPERATOR: ['read', 'restore', 'restoreFlex'],
  GROUP_BACKUP_EXPORT_OPERATOR: ['read', 'restore', 'export'],
  GROUP_BACKUP_MANAGER: BACKUP_MANAGER,
  GROUP_OWNER: [...BACKUP_MANAGER, 'owner'],
};

/**
 * The caller's permissions in a project: its API key's grant for that project when it has one,
 * otherwise the project's default for every caller — none in a `restricted` project, Read Only in a
 * `readOnly` one, Owner elsewhere (the behaviour before roles existed). Undefined: no role at all.
 */
export function permissionsIn(req: RouteRequest, group: SimProject): ReadonlySet<SimPermission> | undefined {
  const granted = req.roles?.[group.id];
  if (granted !== undefined) {
    const roles: readonly SimRole[] = typeof granted === 'string' ? [granted] : granted;
    return roles.length === 0 ? undefined : new Set(roles.flatMap((role) => PERMISSIONS[role]));
  }
  if (group.restricted) return undefined;
  return new Set(PERMISSIONS[group.readOnly ? 'GROUP_READ_ONLY' : 'GROUP_OWNER']);
}

/** The 403 Atlas answers when the caller's role is missing or too weak (same envelope as before roles). */
export const forbidden = () =>
  new SimApiError(
    403,
    'USER_UNAUTHORIZED',
    'The currently logged in user does not have permission to access this resource.',
  );

/** Whether the caller holds `permission` in `group`. */
export const holds = (req: RouteRequest, group: SimProject, permission: SimPermission) =>
  permissionsIn(req, group)?.has(permission) === true;

/** Throws the 403 unless the caller holds `permission` in `group`. */
export function requirePermission(req: RouteRequest, group: SimProject, permission: SimPermission): void {
  if (!holds(req, group, permission)) throw forbidden();
}
