import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLOUD } from '../../src/simulator/cloud-backup-seed.js';
import { type LogLine, type Stack, stackPerTest, startStack, TEST_KEY } from '../helpers.js';
import {
  backupPath,
  CALLER_KEYS,
  completedSnapshot,
  fleet,
  FLEET,
  mutate,
  OPS,
  OTHER,
  READER,
  writesOf,
} from './snapshot-mutation-kit.js';

// The guard rails every mutation shares, shown on takeClusterSnapshot through the real stack
// (docs/backup-actions.md "Guard rails"): idempotent replays (sequential and ten at once: one POST),
// a key reused with another input, keys kept per caller; a write whose answer was lost
// (UPSTREAM_OUTCOME_UNKNOWN, never sent twice); the audit line; a missing scope; Atlas's own roles.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...CALLER_KEYS }, 'api-key', {
    clock: { start: Date.UTC(2026, 10, 21, 12), frozen: true },
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.simulator.reset());

const posts = () => writesOf(stack).filter(([method]) => method === 'POST').length;
/** The audit lines written since `from` (an index into the logs). */
const auditSince = (from: number): LogLine[] => stack.logs.slice(from).filter((l) => l.audit === true);

describe('idempotency keys', () => {
  it('a repeat with the same key and input: the first result, replayed, 0 Atlas calls', async () => {
    const input = { groupId: FLEET, clusterName: fleet(11), idempotencyKey: 'take-11-a' };
    const first = await mutate(stack, 'take', { ...input, clientMutationId: 'first' });
    expect(first.data!.m).toMatchObject({ replayed: false, clientMutationId: 'first' });
    stack.simulator.reset();
    const logsBefore = stack.logs.length;
    const second = await mutate(stack, 'take', { ...input, clientMutationId: 'second' });
    expect(second.errors).toBeUndefined();
    // The stored payload, with this request's clientMutationId.
    expect(second.data!.m).toEqual({ ...first.data!.m, replayed: true, clientMutationId: 'second' });
    expect(stack.simulator.stats.requests).toBe(0);
    expect(auditSince(logsBefore)).toMatchObject([{ result: 'replayed', resultId: first.data!.m!.snapshot!.id }]);
  });

  it('ten at once with one key: one POST, one snapshot, nine replays', async () => {
    const input = { groupId: FLEET, clusterName: fleet(12), idempotencyKey: 'double-click-12' };
    const answers = await Promise.all(Array.from({ length: 10 }, () => mutate(stack, 'take', input)));
    expect(answers.map((a) => a.errors)).toEqual(Array(10).fill(undefined));
    expect(posts()).toBe(1);
    expect(new Set(answers.map((a) => a.data!.m!.snapshot!.id)).size).toBe(1);
    expect(answers.filter((a) => a.data!.m!.replayed)).toHaveLength(9);
  });

  it('the same key with another input (or another mutation): BAD_USER_INPUT on input.idempotencyKey, 0 calls', async () => {
    const input = { groupId: FLEET, clusterName: fleet(13), idempotencyKey: 'take-13' };
    await mutate(stack, 'take', input);
    stack.simulator.reset();
    const other = await mutate(stack, 'take', { ...input, retentionInDays: 7 });
    expect(other.data!.m).toBeNull();
    expect(other.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input.idempotencyKey' });
    expect(other.errors![0]!.message).toContain('used with another input; use a new key');
    const retain = { ...input, snapshotId: CLOUD.snapshots.daily, retentionUnit: 'DAYS', retentionValue: 3 };
    const otherMutation = await mutate(stack, 'retain', retain);
    expect(otherMutation.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input.idempotencyKey' });
    expect(stack.simulator.stats.requests).toBe(0);
  });

  it('another caller’s same key is its own: sent, a new snapshot', async () => {
    const input = { groupId: FLEET, clusterName: fleet(14), idempotencyKey: 'shared-looking-key' };
    const mine = await mutate(stack, 'take', input, OPS);
    stack.simulator.clock.fastForward();
    const theirs = await mutate(stack, 'take', input, OTHER);
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data!.m!.replayed).toBe(false);
    expect(theirs.data!.m!.snapshot!.id).not.toBe(mine.data!.m!.snapshot!.id);
    expect(posts()).toBe(2);
  });
});

describe('a write whose answer was lost', () => {
  it('drop-after-body: one POST, UPSTREAM_OUTCOME_UNKNOWN saying how to check; the key repeats the error, never the POST', async () => {
    const clusterName = fleet(15);
    stack.simulator.faults.inject({ kind: 'drop-after-body', apply: true }, { operation: 'takeSnapshots' });
    const input = { groupId: FLEET, clusterName, idempotencyKey: 'lost-15' };
    const logsBefore = stack.logs.length;
    const first = await mutate(stack, 'take', input);
    expect(first.data!.m).toBeNull();
    expect(first.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_OUTCOME_UNKNOWN', operation: 'takeSnapshots' });
    expect(first.errors![0]!.message).toMatch(/^Atlas may or may not have done it: .*It was not sent again;/);
    expect(first.errors![0]!.message).toContain('(`clusterSnapshots`) and look for a new on-demand one');
    expect(posts()).toBe(1);
    const repeat = await mutate(stack, 'take', input);
    expect(repeat.errors).toEqual(first.errors);
    expect(posts()).toBe(1);
    const audit = auditSince(logsBefore);
    expect(audit).toMatchObject([
      { result: 'failed', code: 'UPSTREAM_OUTCOME_UNKNOWN', atlasStatus: null, resultId: null },
      { result: 'replayed', code: 'UPSTREAM_OUTCOME_UNKNOWN' },
    ]);
    // The check the message names: Atlas did take it (the fault applied the write).
    const { data } = await stack.query<{ l: { edges: { node: { snapshotType: string; status: string } }[] } }>(
      `{ l: clusterSnapshots(groupId: "${FLEET}", clusterName: "${clusterName}") { edges { node { snapshotType status } } } }`,
      {},
      OPS,
    );
    expect(data!.l.edges.map((e) => e.node)).toContainEqual({ snapshotType: 'ON_DEMAND', status: 'QUEUED' });
  });
});

describe('the audit line', () => {
  it('done, dry run and failed: who, which scope, what, the key, the outcome; no secret, no free text', async () => {
    const clusterName = fleet(16);
    const logsBefore = stack.logs.length;
    const input = { groupId: FLEET, clusterName, description: 'ticket-4711 private note', idempotencyKey: 'audit-16' };
    const done = await mutate(stack, 'take', input, { ...OPS, 'x-request-id': 'audit-req-1' });
    await mutate(
      stack,
      'take',
      { groupId: FLEET, clusterName, dryRun: true },
      { ...OPS, 'x-request-id': 'audit-req-2' },
    );
    await mutate(stack, 'take', { groupId: FLEET, clusterName }, { ...OPS, 'x-request-id': 'audit-req-3' });
    const lines = auditSince(logsBefore);
    const common = {
      audit: true,
      msg: 'backup action',
      mutation: 'takeClusterSnapshot',
      scope: 'backups:snapshot',
      caller: 'ops',
      callerId: expect.stringMatching(/^key:[0-9a-f]+$/) as string,
      targets: { groupId: FLEET, clusterName },
      durationMs: expect.any(Number) as number,
    };
    expect(lines).toMatchObject([
      {
        ...common,
        requestId: 'audit-req-1',
        idempotencyKey: 'audit-16',
        dryRun: false,
        result: 'done',
        code: null,
        atlasStatus: null,
        resultId: done.data!.m!.snapshot!.id,
      },
      // The dry run reads that the first is still queued: refused, as Atlas would.
      { ...common, requestId: 'audit-req-2', idempotencyKey: null, dryRun: true, result: 'failed', code: 'CONFLICT' },
      { ...common, requestId: 'audit-req-3', result: 'failed', code: 'CONFLICT', atlasStatus: 400, resultId: null },
    ]);
    // The same caller id as the request's own log line.
    const request = stack.logs.find((l) => l.msg === 'graphql request' && l.requestId === 'audit-req-1');
    expect(request?.caller).toBe(lines[0]!.callerId);
    const raw = stack.rawLogs.filter((text) => text.includes('"audit":true')).join('\n');
    for (const secret of ['ticket-4711', 'ops-key', TEST_KEY.privateKey, 'deliveryUrl', 'snapshotUrl', 'token'])
      expect(raw).not.toContain(secret);
  });

  it('a missing scope: FORBIDDEN naming it, 0 calls, and a refused audit line without the input', async () => {
    const logsBefore = stack.logs.length;
    const input = { groupId: FLEET, clusterName: fleet(17), description: 'ticket-4712' };
    const { data, errors } = await mutate(stack, 'take', input, READER);
    expect(data!.m).toBeNull();
    expect(errors![0]!.message).toBe(
      'Forbidden: this needs the backups:snapshot scope; the caller holds backups:read.',
    );
    expect(errors![0]!.extensions).toEqual({
      code: 'FORBIDDEN',
      scope: 'backups:snapshot',
      heldScopes: ['backups:read'],
    });
    expect(stack.simulator.stats.requests).toBe(0);
    const [line] = auditSince(logsBefore);
    expect(line).toMatchObject({
      mutation: 'takeClusterSnapshot',
      caller: 'reader',
      result: 'refused',
      code: 'FORBIDDEN',
      scope: 'backups:snapshot',
    });
    expect(line!.targets).toBeUndefined();
    expect(JSON.stringify(line)).not.toContain('ticket-4712');
  });
});

describe('Atlas roles behind our scopes', () => {
  const stacks = stackPerTest();

  it('a 403 names the role Atlas wants in extensions.hint: Backup Creator to take, Backup Manager to retain', async () => {
    // This service's Atlas key: Backup Creator in the fleet project, Read Only in the demo project.
    const roles = { [FLEET]: 'GROUP_BACKUP_CREATOR', [CLOUD.groupId]: 'GROUP_READ_ONLY' } as const;
    const own = await stacks.start({ ...CALLER_KEYS }, 'api-key', { apiKeys: [{ ...TEST_KEY, roles }] });
    const readOnly = await mutate(own, 'take', { groupId: CLOUD.groupId, clusterName: CLOUD.sharded });
    expect(readOnly.data!.m).toBeNull();
    expect(readOnly.errors![0]!.extensions).toMatchObject({
      code: 'FORBIDDEN',
      atlas: { status: 403, errorCode: 'USER_UNAUTHORIZED' },
      hint: 'On-demand snapshots need the Project Backup Creator role in Atlas (or Backup Manager).',
    });
    expect(readOnly.errors![0]!.message).toContain('Project Backup Creator');
    expect(writesOf(own)).toEqual([
      ['POST', `${backupPath(CLOUD.groupId, CLOUD.sharded)}/snapshots`, { retentionInDays: 1 }],
    ]);
    const { id, createdAt } = await completedSnapshot(own, fleet(18));
    expect(createdAt).not.toBeNull();
    const retain = { groupId: FLEET, clusterName: fleet(18), snapshotId: id, retentionUnit: 'DAYS', retentionValue: 4 };
    const creator = await mutate(own, 'retain', retain);
    expect(creator.errors![0]!.extensions).toMatchObject({
      code: 'FORBIDDEN',
      hint: 'This needs the Project Backup Manager role in Atlas.',
    });
    expect(writesOf(own).map(([method]) => method)).toEqual(['PATCH']);
  });
});
