import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/simulator/seed.js';
import { Secret } from '../../src/support/secret.js';
import { ANYONE_MAY_CALL, SERVERLESS_API_ONLY, snapshotField, type Stack, stackPerTest, TEST_KEY } from '../helpers.js';

// Issue 10 retest, finding F8a: an upstream (or a proxy in front of it) that echoes the request's
// Authorization in its error text must not hand our Atlas credentials to callers or to the logs.

const stacks = stackPerTest();
const FAST = { ...SERVERLESS_API_ONLY, ...ANYONE_MAY_CALL, ATLAS_TIMEOUT_MS: '3000' };
const key = { groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: DEMO.snapshotId };
const QUERY = `{ ${snapshotField('s', key, 'id')} }`;

/** Runs QUERY against a 404 that echoes the Authorization header; returns the response text, its error and what was sent. */
async function echoed(stack: Stack) {
  stack.simulator.faults.inject(
    { kind: 'echo-authorization', status: 404 },
    { operation: 'getServerlessBackupSnapshot' },
  );
  const response = await fetch(stack.app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: QUERY }),
  });
  const text = await response.text();
  const { errors } = JSON.parse(text) as { errors: { message: string; extensions: { atlas: { detail: string } } }[] };
  const sent = stack.simulator.stats.lastCall?.headers.authorization;
  if (typeof sent !== 'string') throw new Error('the simulator saw no Authorization header');
  return { text, error: errors[0]!, sent };
}

describe('F8a: Atlas text echoing our credentials', () => {
  it('service-account mode: the access token is redacted from the message, extensions.atlas and the logs, and stays registered', async () => {
    const stack = await stacks.start(FAST, 'service-account');
    const { text, error, sent } = await echoed(stack);
    const token = /^Bearer (\S+)$/.exec(sent)![1]!;

    expect(error.extensions.atlas.detail).toBe('Authorization: Bearer [redacted]');
    expect(error.message).toContain('Authorization: Bearer [redacted]');
    expect(text).not.toContain(token);
    expect(stack.rawLogs.join('')).not.toContain(token);
    // The token is a secret for as long as it may be sent: any later text is scrubbed of it too.
    expect(Secret.scrub(`x ${token} y`)).toBe('x [redacted] y');
  });

  it('API-key mode: the Digest response is redacted (the private key never leaves), and forgotten once its call ends', async () => {
    const stack = await stacks.start(FAST, 'api-key');
    const { text, error, sent } = await echoed(stack);
    const response = /\bresponse="([0-9a-f]+)"/.exec(sent)![1]!;

    expect(error.extensions.atlas.detail).toContain('response="[redacted]"');
    expect(error.extensions.atlas.detail).toContain(`username="${TEST_KEY.publicKey}"`);
    expect(text).not.toContain(response);
    expect(text).not.toContain(TEST_KEY.privateKey);
    expect(stack.rawLogs.join('')).not.toContain(response);
    // A per-call credential is held only while its call runs: the registry does not grow with calls.
    expect(Secret.scrub(response)).toBe(response);
  });
});
