import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GraphQLResponse, type Stack, startStack, WITHOUT_RECORD_CACHE } from '../helpers.js';
import { CALLER_KEYS, fleet, FLEET, OPS } from './snapshot-mutation-kit.js';

// Trusted documents (issue #16) holding mutations and several operations, with
// PERSISTED_DOCUMENTS_ONLY=true: the manifest loads (the start-up parse has no request, so Yoga's
// per-request checks — a mutation over GET, which operation to run — wait for the requests), a
// mutation sent by id over POST writes to Atlas, the same id over GET is refused with no call, and a
// document of several operations runs the one `operationName` names. (Found by the adversarial
// review: such a manifest stopped the start, so with the flag on no mutation could ever run.)

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const TAKE =
  'mutation Take($input: TakeClusterSnapshotInput!) { takeClusterSnapshot(input: $input) { snapshot { id status } } }';
/** A query and a mutation in one document: which runs is the request's operationName. */
const MULTI = `query Kind { __typename } ${TAKE.replace('mutation Take', 'mutation TakeToo')}`;
const hashes = { take: sha256(TAKE), multi: sha256(MULTI) };

let stack: Stack;
beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'trusted-operations-')), 'persisted-documents.json');
  writeFileSync(file, JSON.stringify({ [hashes.take]: TAKE, [hashes.multi]: MULTI }));
  stack = await startStack({
    ...WITHOUT_RECORD_CACHE,
    ...CALLER_KEYS,
    PERSISTED_DOCUMENTS_FILE: file,
    PERSISTED_DOCUMENTS_ONLY: 'true',
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

const calls = () => Object.values(stack.simulator.stats.byOperation).reduce((a, b) => a + b, 0);
const writes = () => stack.simulator.stats.writes.map((w) => `${w.method} ${w.path}`);
const input = (n: number) => ({ groupId: FLEET, clusterName: fleet(n), retentionInDays: 1 });

/** POSTs `body` as JSON as the ops caller: the status and the parsed body. */
async function post(body: Record<string, unknown>): Promise<{ status: number; body: GraphQLResponse }> {
  const response = await fetch(stack.app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...OPS },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

/** GETs the document `documentId` with `params` (CSRF header set) as the ops caller. */
async function get(params: Record<string, string>): Promise<{ status: number; body: GraphQLResponse }> {
  const url = `${stack.app.graphqlUrl}?${new URLSearchParams(params).toString()}`;
  const response = await fetch(url, {
    headers: { accept: 'application/graphql-response+json', 'x-graphql-yoga-csrf': '1', ...OPS },
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

const codes = (body: GraphQLResponse) => (body.errors ?? []).map((e) => e.extensions?.code);

describe('a mutation in the manifest, PERSISTED_DOCUMENTS_ONLY=true', () => {
  it('runs when sent by id over POST: one Atlas write', async () => {
    const { status, body } = await post({ documentId: `sha256:${hashes.take}`, variables: { input: input(1) } });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ takeClusterSnapshot: { snapshot: { status: 'QUEUED' } } });
    expect(writes()).toEqual([`POST /api/atlas/v2/groups/${FLEET}/clusters/${fleet(1)}/backup/snapshots`]);
    expect(calls()).toBe(1);
  });

  it('runs when sent by extensions.persistedQuery too', async () => {
    const persistedQuery = { version: 1, sha256Hash: hashes.take };
    const { body } = await post({ extensions: { persistedQuery }, variables: { input: input(2) } });
    expect(body.errors).toBeUndefined();
    expect(writes()).toHaveLength(1);
  });

  it('is refused over GET by id, either form (HTTP 405) with no Atlas call', async () => {
    const variables = JSON.stringify({ input: input(3) });
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hashes.take } });
    const ids: Record<string, string>[] = [{ documentId: `sha256:${hashes.take}` }, { extensions }];
    for (const id of ids) {
      const { status, body } = await get({ ...id, variables });
      expect(status).toBe(405);
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.message).toBe('Can only perform a mutation operation from a POST request.');
    }
    expect(calls()).toBe(0);
  });

  it('is still refused when sent as text, even the manifest’s own', async () => {
    const { status, body } = await post({ query: TAKE, variables: { input: input(4) } });
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['PERSISTED_DOCUMENT_REQUIRED']);
    expect(calls()).toBe(0);
  });
});

describe('a manifest document of several operations', () => {
  it('runs the operation operationName names: the query, then the mutation (one write)', async () => {
    const query = await post({ documentId: hashes.multi, operationName: 'Kind' });
    expect(query.body).toEqual({ data: { __typename: 'Query' } });
    expect(calls()).toBe(0);
    const mutation = await post({ documentId: hashes.multi, operationName: 'TakeToo', variables: { input: input(5) } });
    expect(mutation.body.errors).toBeUndefined();
    expect(mutation.body.data).toMatchObject({ takeClusterSnapshot: { snapshot: { status: 'QUEUED' } } });
    expect(writes()).toHaveLength(1);
  });

  it('over GET runs its query but refuses its mutation (405, no call)', async () => {
    expect((await get({ documentId: hashes.multi, operationName: 'Kind' })).body).toEqual({
      data: { __typename: 'Query' },
    });
    const variables = JSON.stringify({ input: input(6) });
    const refused = await get({ documentId: hashes.multi, operationName: 'TakeToo', variables });
    expect(refused.status).toBe(405);
    expect(calls()).toBe(0);
  });

  it('without operationName, or naming no operation of it: a request error, nothing runs', async () => {
    for (const operationName of [undefined, 'Nope']) {
      const { status, body } = await post({ documentId: hashes.multi, operationName, variables: { input: input(7) } });
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors).toHaveLength(1);
    }
    expect(calls()).toBe(0);
  });
});
