import { describe, expect, it } from 'vitest';
import { AtlasNotFoundError, AtlasResponseError, AtlasTimeoutError } from '../../src/atlas/errors.js';
import {
  ServerlessLookupRouter,
  type BackupApi,
  type RoutedCalls,
} from '../../src/backups/serverless-lookup-router.js';

// The router's decisions with fake calls: no network, only which family is called and what comes back.

const GROUP = '32b6e34b3d91647abb20e7b8';
const OPERATION = 'getServerlessBackupSnapshot';

/** An Atlas error answer with `errorCode`. */
const atlas = (status: number, errorCode?: string) =>
  new AtlasResponseError('fake', status, errorCode === undefined ? {} : { errorCode }, undefined);

const NOT_FLEX = atlas(400, 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API');
const GONE = atlas(410, 'VERSION_GONE');

/** What one family answers: a value, or an error to throw. */
type Answer = { value: string } | { error: unknown };

/** Fake calls for one lookup: each family answers as scripted, and every call is logged in `log`, in order. */
function fakeFamilies(answers: Partial<Record<BackupApi, Answer>>) {
  const log: BackupApi[] = [];
  const call = (api: BackupApi) => async () => {
    log.push(api);
    await Promise.resolve();
    const answer = answers[api];
    if (answer === undefined) throw new Error(`unexpected ${api} call`);
    if ('error' in answer) throw answer.error;
    return answer.value;
  };
  const calls: RoutedCalls<string> = { flex: call('flex'), serverless: call('serverless') };
  return { calls, log };
}

/** Runs one lookup of `name` and returns what it settled to, with the calls it made. */
async function lookup(router: ServerlessLookupRouter, name: string, answers: Partial<Record<BackupApi, Answer>>) {
  const fake = fakeFamilies(answers);
  const result: { value?: string; error?: unknown } = await router.route(GROUP, name, OPERATION, fake.calls).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return { ...result, calls: fake.log };
}

/**
 * Which family the router remembers for `name`, read from the calls of one more lookup in which Flex
 * says "not Flex" and the serverless API answers (so it leaves the name remembered as serverless).
 */
async function remembered(router: ServerlessLookupRouter, name: string): Promise<BackupApi | undefined> {
  const { calls } = await lookup(router, name, { flex: { error: NOT_FLEX }, serverless: { value: 's' } });
  if (calls.join() === 'serverless') return 'serverless';
  if (calls.join() === 'flex,flex,serverless') return 'flex';
  expect(calls).toEqual(['flex', 'serverless']);
  return undefined;
}

describe('a fixed setting', () => {
  it.each(['flex', 'serverless'] as const)(
    '%s: every lookup goes to that family alone, errors as they are',
    async (api) => {
      const router = new ServerlessLookupRouter(api);
      expect(await lookup(router, 'a', { [api]: { value: 'v' } })).toEqual({ value: 'v', calls: [api] });
      expect(await lookup(router, 'a', { [api]: { error: NOT_FLEX } })).toEqual({ error: NOT_FLEX, calls: [api] });
      expect(await lookup(router, 'a', { [api]: { error: GONE } })).toEqual({ error: GONE, calls: [api] });
    },
  );
});

describe('auto: the first lookup of a name', () => {
  it('Flex answers: Flex alone, and the name is remembered as Flex', async () => {
    const router = new ServerlessLookupRouter('auto');
    expect(await lookup(router, 'a', { flex: { value: 'f' } })).toEqual({ value: 'f', calls: ['flex'] });
    expect(await remembered(router, 'a')).toBe('flex');
  });

  it.each(['CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API', 'CLUSTER_NOT_FOUND', 'FEATURE_UNSUPPORTED'])(
    'Flex says %s: the serverless API answers, and the name is remembered as serverless',
    async (errorCode) => {
      const router = new ServerlessLookupRouter('auto');
      const notFlex = atlas(errorCode === 'CLUSTER_NOT_FOUND' ? 404 : 400, errorCode);
      const first = await lookup(router, 'a', { flex: { error: notFlex }, serverless: { value: 's' } });
      expect(first).toEqual({ value: 's', calls: ['flex', 'serverless'] });
      expect(await remembered(router, 'a')).toBe('serverless');
    },
  );

  it.each([
    ['410', atlas(410, 'VERSION_GONE')],
    ['404 with a code that is no answer about the instance', atlas(404, 'RESOURCE_NOT_FOUND')],
    ['404 without a code', atlas(404)],
    ['400 CANNOT_USE_CLUSTER_IN_SERVERLESS_INSTANCE_API', atlas(400, 'CANNOT_USE_CLUSTER_IN_SERVERLESS_INSTANCE_API')],
  ])(
    'not Flex, and the serverless API answers %s: NOT_FOUND naming the operation, nothing remembered',
    async (_, legacy) => {
      const router = new ServerlessLookupRouter('auto');
      const { error, calls } = await lookup(router, 'gone-1', {
        flex: { error: NOT_FLEX },
        serverless: { error: legacy },
      });
      expect(calls).toEqual(['flex', 'serverless']);
      expect(error).toBeInstanceOf(AtlasNotFoundError);
      expect(error).toMatchObject({ operation: OPERATION, flexAnswer: NOT_FLEX });
      expect((error as Error).message).toContain('no Flex cluster named gone-1 exists');
      expect(await remembered(router, 'gone-1')).toBeUndefined();
    },
  );

  it.each([
    ['a 500', atlas(500, 'UNEXPECTED_ERROR')],
    ['a 401', atlas(401, 'UNAUTHORIZED')],
    ['a 404 GROUP_NOT_FOUND', atlas(404, 'GROUP_NOT_FOUND')],
    ['a timeout', new AtlasTimeoutError('fake', 100, 'total')],
    ['a refusal before the call (the request budget)', new Error('budget spent')],
  ])('Flex fails with %s: that error, unchanged, no fallback, nothing remembered', async (_, failure) => {
    const router = new ServerlessLookupRouter('auto');
    expect(await lookup(router, 'a', { flex: { error: failure } })).toEqual({ error: failure, calls: ['flex'] });
    expect(await remembered(router, 'a')).toBeUndefined();
  });

  it.each(['SNAPSHOT_NOT_FOUND', 'RESTORE_JOB_NOT_FOUND'])(
    'Flex answers 404 %s: that error, and the name is remembered as Flex (the cluster exists there)',
    async (errorCode) => {
      const router = new ServerlessLookupRouter('auto');
      const missing = atlas(404, errorCode);
      expect(await lookup(router, 'a', { flex: { error: missing } })).toEqual({ error: missing, calls: ['flex'] });
      expect(await remembered(router, 'a')).toBe('flex');
    },
  );

  it('not Flex, and the serverless API answers 404 SNAPSHOT_NOT_FOUND: that error, remembered as serverless', async () => {
    const router = new ServerlessLookupRouter('auto');
    const missing = atlas(404, 'SNAPSHOT_NOT_FOUND');
    const first = await lookup(router, 'a', { flex: { error: NOT_FLEX }, serverless: { error: missing } });
    expect(first).toEqual({ error: missing, calls: ['flex', 'serverless'] });
    expect(await remembered(router, 'a')).toBe('serverless');
  });

  it.each([
    ['404 SERVERLESS_INSTANCE_NOT_FOUND', atlas(404, 'SERVERLESS_INSTANCE_NOT_FOUND')],
    ['404 GROUP_NOT_FOUND', atlas(404, 'GROUP_NOT_FOUND')],
    ['500', atlas(500)],
  ])('not Flex, and the serverless API answers %s: that error, nothing remembered', async (_, legacy) => {
    const router = new ServerlessLookupRouter('auto');
    const first = await lookup(router, 'a', { flex: { error: NOT_FLEX }, serverless: { error: legacy } });
    expect(first).toEqual({ error: legacy, calls: ['flex', 'serverless'] });
    expect(await remembered(router, 'a')).toBeUndefined();
  });
});

describe('auto: a remembered name', () => {
  it('remembered as Flex, Flex now says not Flex: discovered again (Flex, then serverless)', async () => {
    const router = new ServerlessLookupRouter('auto');
    await lookup(router, 'a', { flex: { value: 'f' } });
    const moved = await lookup(router, 'a', { flex: { error: NOT_FLEX }, serverless: { value: 's' } });
    expect(moved).toEqual({ value: 's', calls: ['flex', 'flex', 'serverless'] });
    expect(await remembered(router, 'a')).toBe('serverless');
  });

  it('remembered as serverless, the serverless API now retired: discovered again, Flex answers', async () => {
    const router = new ServerlessLookupRouter('auto');
    await lookup(router, 'a', { flex: { error: NOT_FLEX }, serverless: { value: 's' } });
    const migrated = await lookup(router, 'a', { flex: { value: 'f' }, serverless: { error: GONE } });
    expect(migrated).toEqual({ value: 'f', calls: ['serverless', 'flex'] });
    expect(await remembered(router, 'a')).toBe('flex');
  });

  it('remembered as serverless, now gone everywhere: NOT_FOUND, and the name is forgotten', async () => {
    const router = new ServerlessLookupRouter('auto');
    await lookup(router, 'a', { flex: { error: NOT_FLEX }, serverless: { value: 's' } });
    const gone = await lookup(router, 'a', { flex: { error: NOT_FLEX }, serverless: { error: GONE } });
    expect(gone.calls).toEqual(['serverless', 'flex', 'serverless']);
    expect(gone.error).toBeInstanceOf(AtlasNotFoundError);
    expect(await remembered(router, 'a')).toBeUndefined();
  });

  it.each(['flex', 'serverless'] as const)(
    'remembered as %s, any other failure: that error, and the name stays remembered',
    async (api) => {
      const router = new ServerlessLookupRouter('auto');
      const other =
        api === 'flex' ? { flex: { value: 'f' } } : { flex: { error: NOT_FLEX }, serverless: { value: 's' } };
      await lookup(router, 'a', other);
      const failure = atlas(503);
      expect(await lookup(router, 'a', { [api]: { error: failure } })).toEqual({ error: failure, calls: [api] });
      expect(await remembered(router, 'a')).toBe(api);
    },
  );

  it('names are remembered per project', async () => {
    const router = new ServerlessLookupRouter('auto');
    await lookup(router, 'a', { flex: { error: NOT_FLEX }, serverless: { value: 's' } });
    const fake = fakeFamilies({ flex: { value: 'f' } });
    expect(await router.route('aaaaaaaaaaaaaaaaaaaaaaaa', 'a', OPERATION, fake.calls)).toBe('f');
    expect(fake.log).toEqual(['flex']);
  });

  it('keeps at most `capacity` names, forgetting the least recently used', async () => {
    const router = new ServerlessLookupRouter('auto', 2);
    for (const name of ['a', 'b', 'c']) await lookup(router, name, { flex: { value: 'f' } }); // c pushes a out
    await lookup(router, 'b', { flex: { value: 'f' } }); // b is now the most recent
    await lookup(router, 'd', { flex: { value: 'f' } }); // d pushes c out, not b
    expect(await remembered(router, 'b')).toBe('flex');
    expect(await remembered(router, 'd')).toBe('flex');
    expect(await remembered(router, 'c')).toBeUndefined();
    expect(await remembered(router, 'a')).toBeUndefined();
  });
});

describe('auto: concurrent first lookups of one name', () => {
  it('one discovery; the others wait for it and then make their own call to the family it found', async () => {
    const router = new ServerlessLookupRouter('auto');
    const fakes = [0, 1, 2].map(() => fakeFamilies({ flex: { error: NOT_FLEX }, serverless: { value: 's' } }));
    const results = await Promise.all(fakes.map((f) => router.route(GROUP, 'a', OPERATION, f.calls)));
    expect(results).toEqual(['s', 's', 's']);
    expect(fakes.map((f) => f.log)).toEqual([['flex', 'serverless'], ['serverless'], ['serverless']]);
  });

  it('when the discovery finds no family, each of the others discovers for itself', async () => {
    const router = new ServerlessLookupRouter('auto');
    const first = fakeFamilies({ flex: { error: atlas(500) } });
    const second = fakeFamilies({ flex: { value: 'f' } });
    const [a, b] = await Promise.allSettled([
      router.route(GROUP, 'a', OPERATION, first.calls),
      router.route(GROUP, 'a', OPERATION, second.calls),
    ]);
    expect(a).toMatchObject({ status: 'rejected' });
    expect(b).toEqual({ status: 'fulfilled', value: 'f' });
    expect([first.log, second.log]).toEqual([['flex'], ['flex']]);
  });
});
