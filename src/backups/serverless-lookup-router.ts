import { AtlasNotFoundError, AtlasResponseError } from '../atlas/errors.js';

/** Which operation family to call for a serverless-named lookup. */
export type SnapshotApiSetting = 'auto' | 'flex' | 'serverless';
/** The operation family that serves a name. */
export type BackupApi = 'flex' | 'serverless';

/** The calls of one lookup through each family. */
export interface RoutedCalls<T> {
  flex: () => Promise<T>;
  serverless: () => Promise<T>;
}

/** Error codes on which the Atlas CLI falls back from the Flex API: the name is not a Flex cluster. */
const NOT_FLEX_CODES = new Set(['CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API', 'CLUSTER_NOT_FOUND', 'FEATURE_UNSUPPORTED']);
/** 404 codes of the serverless API that are a real answer about an existing instance or project. */
const SERVERLESS_ANSWER_CODES = new Set([
  'SNAPSHOT_NOT_FOUND',
  'RESTORE_JOB_NOT_FOUND',
  'SERVERLESS_INSTANCE_NOT_FOUND',
  'GROUP_NOT_FOUND',
]);
/** 404 codes that prove the cluster exists under the API that sent them. */
const RESOURCE_MISSING_CODES = new Set(['SNAPSHOT_NOT_FOUND', 'RESTORE_JOB_NOT_FOUND']);

const code = (error: unknown) => (error instanceof AtlasResponseError ? error.envelope.errorCode : undefined);

/** True when the Flex API answered that the name is not a Flex cluster. */
const isNotFlex = (error: unknown): boolean => NOT_FLEX_CODES.has(code(error) ?? '');

/** True when the serverless API is retired or says nothing about this name (so: not found anywhere). */
function isLegacyGone(error: unknown): boolean {
  if (!(error instanceof AtlasResponseError)) return false;
  if (error.status === 410) return true;
  if (error.status === 404) return !SERVERLESS_ANSWER_CODES.has(error.envelope.errorCode ?? '');
  return error.status === 400 && error.envelope.errorCode === 'CANNOT_USE_CLUSTER_IN_SERVERLESS_INSTANCE_API';
}

/**
 * The answers by which a family says it does not serve the name: Flex, that it is not a Flex cluster
 * (or no longer is); the serverless API, that it is retired or does not know the name.
 */
const DOES_NOT_SERVE: Record<BackupApi, (error: unknown) => boolean> = {
  flex: isNotFlex,
  serverless: isLegacyGone,
};

/**
 * Routes lookups by serverless instance name after the serverless sunset: in `auto`, the Flex API
 * first (what Atlas serves today), the legacy serverless API when Flex says the name is not a Flex
 * cluster, and NOT_FOUND when the legacy API is gone too. Which API answered for a (group, name) is
 * remembered for the life of the process in a bounded LRU, and a first lookup is made once for all
 * concurrent lookups of the same name. Only Atlas's answers route: any other failure of a call (one
 * refused by the request's call budget, a timeout) passes through unchanged and is not remembered.
 */
export class ServerlessLookupRouter {
  readonly #memory = new Map<string, BackupApi>();
  readonly #discovering = new Map<string, Promise<BackupApi | undefined>>();

  constructor(
    readonly setting: SnapshotApiSetting,
    /** Names remembered at most. @default 10000 */
    readonly capacity = 10_000,
  ) {}

  /** Runs one lookup through the right family. `operation` names it in a NOT_FOUND. */
  async route<T>(groupId: string, name: string, operation: string, calls: RoutedCalls<T>): Promise<T> {
    if (this.setting !== 'auto') return calls[this.setting]();
    const key = `${groupId}/${name}`;
    const known = this.#recall(key);
    if (known) {
      try {
        return await calls[known]();
      } catch (error) {
        if (!DOES_NOT_SERVE[known](error)) throw error;
        this.#memory.delete(key); // moved (migrated to Flex, or the serverless API retired): find out again
      }
    } else {
      const pending = this.#discovering.get(key);
      if (pending) {
        const api = await pending;
        if (api) return calls[api]();
      }
    }
    return this.#discover(key, name, operation, calls);
  }

  /** The first lookup of a name: Flex, then the legacy API; tells concurrent lookups which one answered. */
  async #discover<T>(key: string, name: string, operation: string, calls: RoutedCalls<T>): Promise<T> {
    let settle!: (api: BackupApi | undefined) => void;
    this.#discovering.set(key, new Promise((resolve) => (settle = resolve)));
    let found: BackupApi | undefined;
    /** One family's call; `found` learns where the name lives: the family answered, or only the item is missing. */
    const ask = async (api: BackupApi): Promise<T> => {
      try {
        const result = await calls[api]();
        found = api;
        return result;
      } catch (error) {
        if (!DOES_NOT_SERVE[api](error) && RESOURCE_MISSING_CODES.has(code(error) ?? '')) found = api;
        throw error;
      }
    };
    try {
      try {
        return await ask('flex');
      } catch (error) {
        if (!isNotFlex(error)) throw error;
        try {
          return await ask('serverless');
        } catch (legacyError) {
          if (!isLegacyGone(legacyError)) throw legacyError;
          throw new AtlasNotFoundError(
            operation,
            error as AtlasResponseError, // isNotFlex: an answer of the Flex API
            `no Flex cluster named ${name} exists, and the retired serverless API does not serve it either`,
          );
        }
      }
    } finally {
      if (found) this.#remember(key, found);
      this.#discovering.delete(key);
      settle(found);
    }
  }

  #recall(key: string): BackupApi | undefined {
    const api = this.#memory.get(key);
    if (api) {
      // Move to the young end: Map iteration order is insertion order.
      this.#memory.delete(key);
      this.#memory.set(key, api);
    }
    return api;
  }

  #remember(key: string, api: BackupApi): void {
    this.#memory.delete(key);
    this.#memory.set(key, api);
    if (this.#memory.size > this.capacity) this.#memory.delete(this.#memory.keys().next().value!);
  }
}
