import { readFileSync } from 'node:fs';
import { GraphQLError, Kind, type FieldNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parseErrorEnvelope } from '../../src/atlas/error-envelope.js';
import {
  AtlasAbortedError,
  AtlasCircuitOpenError,
  AtlasCredentialsError,
  AtlasInvalidBodyError,
  AtlasNetworkError,
  AtlasRateLimitHoldError,
  AtlasResponseError,
  AtlasTimeoutError,
} from '../../src/atlas/errors.js';
import { parseRetryAfter } from '../../src/atlas/retry-after.js';
import { UpstreamBudgetError } from '../../src/backups/loaders.js';
import { ServerBusyError, UpstreamBytesError } from '../../src/backups/upstream-memory.js';
import { ERROR_CODES } from '../../src/graphql/error-codes.js';
import { codeForAtlasStatus, queryTooExpensive, toGraphQLError, TypedGraphQLError } from '../../src/graphql/errors.js';
import { maskError } from '../../src/graphql/mask-error.js';

interface FixtureIndex {
  files: { file: string; status: number; headers: Record<string, string> }[];
}

const examples = new URL('../fixtures/atlas-examples/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', examples), 'utf8')) as FixtureIndex;
const errorFixtures = index.files.filter((f) => f.file.startsWith('errors/'));

/** The table: Atlas HTTP status → extensions.code. */
const EXPECTED: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  406: 'UPSTREAM_ERROR',
  409: 'CONFLICT',
  410: 'UPSTREAM_ERROR',
  429: 'RATE_LIMITED',
  500: 'UPSTREAM_ERROR',
};

const header = (headers: Record<string, string>, name: string) =>
  Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];

function fromFixture(fixture: FixtureIndex['files'][number]) {
  const body = readFileSync(new URL(fixture.file, examples), 'utf8');
  const envelope = parseErrorEnvelope(body, header(fixture.headers, 'x-error-code'));
  const error = new AtlasResponseError(
    'getServerlessBackupSnapshot',
    fixture.status,
    envelope,
    parseRetryAfter(header(fixture.headers, 'retry-after')),
  );
  return { body: JSON.parse(body) as Record<string, unknown>, mapped: toGraphQLError(error) as GraphQLError };
}

describe('Atlas error bodies → typed GraphQL errors (every example in the shared fixtures)', () => {
  it('covers every status of the table', () => {
    expect(new Set(errorFixtures.map((f) => f.status))).toEqual(new Set(Object.keys(EXPECTED).map(Number)));
  });

  it.each(errorFixtures.map((f) => [f.file, f] as const))('%s', (_name, fixture) => {
    const { body, mapped } = fromFixture(fixture);
    expect(mapped).toBeInstanceOf(TypedGraphQLError);
    expect(mapped.extensions.code).toBe(EXPECTED[fixture.status]);
    expect(mapped.extensions.atlas).toEqual({
      status: fixture.status,
      errorCode: body.errorCode,
      reason: body.reason ?? null,
      detail: body.detail ?? null,
    });
    expect(mapped.message).toContain(String(body.errorCode));
    if (fixture.status === 429) expect(mapped.extensions.retryAfterSeconds).toBe(55);
    else expect(mapped.extensions).not.toHaveProperty('retryAfterSeconds');
  });
});

describe('mapping by status when the body is no help', () => {
  it.each([
    [400, 'BAD_USER_INPUT'],
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [405, 'UPSTREAM_ERROR'],
    [406, 'UPSTREAM_ERROR'],
    [409, 'CONFLICT'],
    [410, 'UPSTREAM_ERROR'],
    [429, 'RATE_LIMITED'],
    [500, 'UPSTREAM_ERROR'],
    [502, 'UPSTREAM_ERROR'],
    [503, 'UPSTREAM_ERROR'],
    [504, 'UPSTREAM_ERROR'],
  ])('HTTP %i with an HTML proxy page maps to %s', (status, code) => {
    expect(codeForAtlasStatus(status)).toBe(code);
    const envelope = parseErrorEnvelope('<html><body><h1>502 Bad Gateway</h1></body></html>');
    expect(envelope).toEqual({});
    const mapped = toGraphQLError(new AtlasResponseError('op', status, envelope, undefined)) as GraphQLError;
    expect(mapped.extensions).toMatchObject({ code, atlas: { status, errorCode: null, reason: null, detail: null } });
  });

  it('uses the X-Error-Code header when the body has no errorCode', () => {
    expect(parseErrorEnvelope('', 'RATE_LIMITED')).toEqual({ errorCode: 'RATE_LIMITED' });
    expect(parseErrorEnvelope('', 'not a code <script>')).toEqual({});
  });

  it('reads null reason/detail and mixed parameters leniently', () => {
    const envelope = parseErrorEnvelope(
      JSON.stringify({
        error: 429,
        errorCode: 'RATE_LIMITED_TOKEN_BUCKET',
        reason: null,
        detail: null,
        parameters: ['api/atlas/v2/orgs', 55, 10],
      }),
    );
    expect(envelope).toEqual({ errorCode: 'RATE_LIMITED_TOKEN_BUCKET', parameters: ['api/atlas/v2/orgs', 55, 10] });
  });

  it('keeps a well-formed envelope when one field has the wrong type', () => {
    expect(parseErrorEnvelope(JSON.stringify({ error: '404', errorCode: 'GROUP_NOT_FOUND', detail: 7 }))).toEqual({
      errorCode: 'GROUP_NOT_FOUND',
    });
  });
});

describe('non-HTTP failures', () => {
  it('maps a timeout to UPSTREAM_TIMEOUT', () => {
    expect((toGraphQLError(new AtlasTimeoutError('op', 250, 'total')) as GraphQLError).extensions.code).toBe(
      'UPSTREAM_TIMEOUT',
    );
  });
  it('maps a reset and a bad body to UPSTREAM_ERROR', () => {
    for (const error of [
      new AtlasNetworkError('op', 'ECONNRESET', true),
      new AtlasInvalidBodyError('op', ['status: bad']),
    ]) {
      expect((toGraphQLError(error) as GraphQLError).extensions.code).toBe('UPSTREAM_ERROR');
    }
  });
  it('maps a call cancelled because the client went away to REQUEST_CANCELLED', () => {
    expect((toGraphQLError(new AtlasAbortedError('op')) as GraphQLError).extensions.code).toBe('REQUEST_CANCELLED');
  });
  it('passes anything unexpected through untouched, for Yoga to mask', () => {
    const bug = new TypeError('x is undefined');
    expect(toGraphQLError(bug)).toBe(bug);
  });
});

describe('Retry-After', () => {
  it('reads delta-seconds and HTTP-dates', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(parseRetryAfter('55', now)).toBe(55);
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('one translator, one table', () => {
  const domainErrors: [string, Error][] = [
    ['Atlas 404', new AtlasResponseError('getFlexBackupSnapshot', 404, {}, undefined)],
    ['Atlas 409', new AtlasResponseError('getFlexBackupSnapshot', 409, {}, undefined)],
    ['timeout', new AtlasTimeoutError('op', 250, 'total')],
    ['rate-limit hold', new AtlasRateLimitHoldError('op', 42)],
    ['open circuit', new AtlasCircuitOpenError('op', 10_000)],
    ['token endpoint down', new AtlasCredentialsError('op', 'unavailable', 'HTTP 503')],
    ['call budget', new UpstreamBudgetError(100)],
    ['bytes per request', new UpstreamBytesError(1_000)],
    ['bytes in flight', new ServerBusyError(1_000)],
    ['cancelled call', new AtlasAbortedError('op')],
    ['cancelled task', new DOMException('The request was aborted before this Atlas call started.', 'AbortError')],
  ];

  it.each(domainErrors)('%s: a code of the table, its message led by the table’s', (_name, error) => {
    const mapped = toGraphQLError(error);
    expect(mapped).toBeInstanceOf(TypedGraphQLError);
    const { code, message } = mapped as TypedGraphQLError;
    expect(Object.keys(ERROR_CODES)).toContain(code);
    expect(message.startsWith(ERROR_CODES[code].message)).toBe(true);
  });

  it('builds REQUEST_CANCELLED once: a cancelled Atlas call and a cancelled task read the same', () => {
    const [call, task] = [new AtlasAbortedError('op'), new DOMException('aborted', 'AbortError')].map(
      (error) => toGraphQLError(error) as GraphQLError,
    );
    expect(call!.message).toBe(task!.message);
    expect(call!.extensions).toEqual({ code: 'REQUEST_CANCELLED' });
  });

  it('QUERY_TOO_EXPENSIVE: an HTTP 400 when it ends the request, none when a budget runs out beside data', () => {
    expect(queryTooExpensive('too much', { request: true }).extensions).toEqual({
      code: 'QUERY_TOO_EXPENSIVE',
      http: { status: 400, spec: true },
    });
    expect((toGraphQLError(new UpstreamBudgetError(100)) as GraphQLError).extensions).toEqual({
      code: 'QUERY_TOO_EXPENSIVE',
      maxCalls: 100,
    });
  });
});

describe('maskError, the hook Yoga calls with what a resolver threw', () => {
  const node: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'job' } };
  const located = (original: Error) =>
    new GraphQLError(original.message, { nodes: [node], path: ['job', 'snapshot'], originalError: original });

  it('turns a domain error into its typed error at the same path and nodes, without the original', () => {
    const masked = maskError(located(new AtlasTimeoutError('op', 250, 'total')), 'Unexpected error.');
    expect(masked).toBeInstanceOf(TypedGraphQLError);
    const error = masked as GraphQLError;
    expect(error.extensions).toEqual({ code: 'UPSTREAM_TIMEOUT' });
    expect(error.path).toEqual(['job', 'snapshot']);
    expect(error.nodes).toEqual([node]);
    expect(error.originalError).toBeUndefined();
  });

  it('carries the role hint with a 403 of an operation that needs more than Project Read Only', () => {
    const forbidden = (operation: string) =>
      maskError(located(new AtlasResponseError(operation, 403, {}, undefined)), 'x') as GraphQLError;
    for (const operation of ['getServerlessRestoreJob', 'listServerlessRestoreJobs']) {
      expect(forbidden(operation).extensions).toMatchObject({
        code: 'FORBIDDEN',
        hint: expect.stringContaining('Project Owner') as string,
      });
      expect(forbidden(operation).message).toContain('Project Owner');
    }
    expect(forbidden('getServerlessBackupSnapshot').extensions).not.toHaveProperty('hint');
  });

  it('masks anything else, with a code', () => {
    const masked = maskError(located(new TypeError('x is undefined')), 'Unexpected error.') as GraphQLError;
    expect(masked.message).toBe('Unexpected error.');
    expect(masked.extensions.code).toBe('INTERNAL_SERVER_ERROR');
  });
});
