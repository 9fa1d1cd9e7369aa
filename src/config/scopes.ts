// What a caller may do: the scopes an API key or a JWT carries, each with the line the docs print.

/** Every caller scope and what it allows (docs/security.md and AUTH_API_KEYS's description list them). */
export const SCOPES = {
  'backups:read': 'Every query: snapshots, restore jobs, schedules, exports, policies (implied for every caller).',
  'backups:snapshot': 'Take on-demand snapshots and change their retention.',
  'backups:delete': 'Delete snapshots.',
  'backups:restore': 'Create and cancel restore jobs of dedicated clusters, and restore Flex clusters.',
  'backups:download':
    'Create download restore jobs (dedicated and Flex), and read the download URLs (`deliveryUrl`, `downloadUrl`, `snapshotUrl`).',
  'backups:schedule': "Change a cluster's backup schedule.",
  'backups:export': 'Export snapshots to a bucket.',
} as const;

/** One caller scope, e.g. `backups:restore`. */
export type Scope = keyof typeof SCOPES;

/** Every scope, in the order SCOPES lists them (demo mode's caller holds them all). */
export const ALL_SCOPES: readonly Scope[] = Object.freeze(Object.keys(SCOPES) as Scope[]);

/** What every accepted caller holds, and all that an unauthenticated one does (ALLOW_UNAUTHENTICATED). */
export const READ_ONLY: readonly Scope[] = Object.freeze(['backups:read'] as Scope[]);

/** Whether `word` names a scope of this service. */
export const isScope = (word: string): word is Scope => Object.hasOwn(SCOPES, word);

/** `granted` with `backups:read` added, without repeats, in the order SCOPES lists them. */
export const withRead = (granted: Iterable<Scope>): Scope[] => {
  const held = new Set<Scope>([...READ_ONLY, ...granted]);
  return ALL_SCOPES.filter((scope) => held.has(scope));
};
