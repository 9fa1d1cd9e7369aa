import { execute, GraphQLError, parse } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Scope } from '../../src/config/scopes.js';
import type { Context } from '../../src/graphql/context.js';
import { maskError } from '../../src/graphql/mask-error.js';
import { MissingScopeError } from '../../src/graphql/scope-auth.js';
import { toGraphQLError } from '../../src/graphql/errors.js';
import { schema } from '../../src/graphql/schema/index.js';
import { DEMO } from '../../src/simulator/seed.js';

// The schema's scope checks, executed directly: every accepted caller holds backups:read, so a
// caller without it exists only here. Its loaders count every use: a refused field touches none.

/** A context whose caller holds `scopes`, and the names of the loaders its resolvers reached for. */
function contextOf(scopes: Scope[]): { context: Context; touched: string[] } {
  const touched: string[] = [];
  const loaders = new Proxy(
    {},
    {
      get: (_target, name) => {
        touched.push(String(name));
        throw new Error('a loader was used');
      },
    },
  );
  const context = {
    caller: { id: 'test', name: 'test', scopes: new Set(scopes) },
    loaders,
    logger: pino({ level: 'silent' }),
  } as unknown as Context;
  return { context, touched };
}

const SNAPSHOT = `groupId: "${DEMO.groupId}", clusterName: "${DEMO.clusterName}", snapshotId: "${DEMO.snapshotId}"`;
const DOCUMENT = parse(`query ($r: [_Any!]!) {
  snapshot: serverlessSnapshot(${SNAPSHOT}) { id }
  invalid: serverlessSnapshot(groupId: "nope", clusterName: "x", snapshotId: "y") { id }
  cluster(groupId: "${DEMO.groupId}", name: "${DEMO.clusterName}") { name }
  _entities(representations: $r) { __typename }
  _service { sdl }
}`);
const REPRESENTATIONS = [
  { __typename: 'ServerlessSnapshot', groupId: DEMO.groupId, clusterName: DEMO.clusterName, id: DEMO.snapshotId },
];

/** Runs DOCUMENT as `scopes`; its errors as a caller reads them (through Yoga's maskError). */
async function run(scopes: Scope[]) {
  const { context, touched } = contextOf(scopes);
  const result = await execute({
    schema,
    document: DOCUMENT,
    contextValue: context,
    variableValues: { r: REPRESENTATIONS },
  });
  const errors = (result.errors ?? []).map((error) => maskError(error, 'Unexpected error.') as GraphQLError);
  const byPath: Record<string, Record<string, unknown>> = Object.fromEntries(
    errors.map((e) => [e.path!.join('.'), { message: e.message, ...e.extensions }]),
  );
  return { data: result.data, byPath, touched };
}

describe('backups:read on every query', () => {
  it('without it: every Query field and every entity is FORBIDDEN before any loader; _service answers', async () => {
    const { data, byPath, touched } = await run([]);
    const forbidden = {
      code: 'FORBIDDEN',
      message: 'Forbidden: this needs the backups:read scope; the caller holds none.',
      scope: 'backups:read',
      heldScopes: [],
    };
    expect(byPath).toEqual({
      snapshot: forbidden,
      // Pothos validates arguments before any plugin's wrapper: BAD_USER_INPUT, without a call either.
      invalid: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'groupId' }) as unknown,
      cluster: forbidden,
      '_entities.0': forbidden,
    });
    expect(touched).toEqual([]);
    expect(data).toMatchObject({ snapshot: null, invalid: null, cluster: null, _entities: [null] });
    expect((data as { _service: { sdl: string } })._service.sdl).toContain('type Query');
  });

  it('with it: the fields go on to validation and their loaders (which this test makes fail)', async () => {
    const { byPath, touched } = await run(['backups:read']);
    expect(byPath.invalid).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(Object.values(byPath).map((e) => e.code)).not.toContain('FORBIDDEN');
    expect(new Set(touched)).toEqual(new Set(['serverlessSnapshot', 'cluster']));
  });
});

describe('writes', () => {
  it('every Mutation field declares the scopes it needs (the Query type’s backups:read does not reach them)', () => {
    const fields = Object.values(schema.getMutationType()?.getFields() ?? {});
    const undeclared = fields.filter((field) => {
      const options = field.extensions.pothosOptions as { authScopes?: unknown } | undefined;
      return options?.authScopes === undefined;
    });
    expect(undeclared.map((field) => field.name)).toEqual([]);
  });
});

describe('the FORBIDDEN message', () => {
  const translated = (error: MissingScopeError) => toGraphQLError(error) as GraphQLError;

  it('names the scope, or the scopes of which any one would do, or all of which are needed', () => {
    const one = translated(new MissingScopeError(['backups:restore'], true, ['backups:read']));
    expect(one.message).toBe('Forbidden: this needs the backups:restore scope; the caller holds backups:read.');
    expect(one.extensions).toEqual({ code: 'FORBIDDEN', scope: 'backups:restore', heldScopes: ['backups:read'] });
    const any = translated(new MissingScopeError(['backups:restore', 'backups:download'], true, ['backups:read']));
    expect(any.message).toBe(
      'Forbidden: this needs one of the scopes backups:restore, backups:download; the caller holds backups:read.',
    );
    const all = translated(new MissingScopeError(['backups:delete', 'backups:export'], false, []));
    // An authScopes function that answers `false`: no scope would do.
    expect(translated(new MissingScopeError([], true, ['backups:read'])).message).toBe(
      'Forbidden: this needs more scopes; the caller holds backups:read.',
    );
    expect(all.message).toBe(
      'Forbidden: this needs the scopes backups:delete and backups:export; the caller holds none.',
    );
  });
});
