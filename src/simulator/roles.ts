import { SimApiError } from './api-error.js';
import type { RouteRequest } from './route.js';
import type { SimProject } from './seed.js';

/**
 * The project roles the simulator models, by their Atlas API names, weakest first: each includes the
 * privileges of the ones before it (Project Read Only ⊂ Project Backup Manager ⊂ Project Owner). The
 * spec's `x-rolesRequirements` name the weakest role an operation needs (README §10.1, §10.6 item 9).
 */
export const SIM_ROLES = ['GROUP_READ_ONLY', 'GROUP_BACKUP_MANAGER', 'GROUP_OWNER'] as const;

/** One of {@link SIM_ROLES}. */
export type SimRole = (typeof SIM_ROLES)[number];

/**
 * The caller's role in a project: its API key's grant for that project when it has one, otherwise
 * the project's default for every caller — none in a `restricted` project, Read Only in a `readOnly`
 * one, Owner elsewhere (the behaviour before roles existed).
 */
export function roleIn(req: RouteRequest, group: SimProject): SimRole | undefined {
  const granted = req.roles?.[group.id];
  if (granted !== undefined) return granted;
  if (group.restricted) return undefined;
  return group.readOnly ? 'GROUP_READ_ONLY' : 'GROUP_OWNER';
}

/** The 403 Atlas answers when the caller's role is missing or too weak (same envelope as before roles). */
export const forbidden = () =>
  new SimApiError(
    403,
    'USER_UNAUTHORIZED',
    'The currently logged in user does not have permission to access this resource.',
  );

/** Throws the 403 unless the caller's role in `group` includes `required`. */
export function requireRole(req: RouteRequest, group: SimProject, required: SimRole): void {
  const role = roleIn(req, group);
  if (role === undefined || SIM_ROLES.indexOf(role) < SIM_ROLES.indexOf(required)) throw forbidden();
}
