import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIFECYCLE_MS } from '../../src/simulator/timelines.js';
import type { Stack } from '../helpers.js';
import {
  createDownloadJob,
  FLEET_CLUSTERS,
  jobPolls,
  jobSubscription,
  KEYS,
  metric,
  sseSubscribe,
  startLiveStack,
  type Subscriber,
  until,
  wsClient,
  wsSubscribe,
} from './subscription-pollers-kit.js';

// Live status (issue #14, "One poller per resource"), on the main stack: one Atlas poller per
// resource whatever the number of subscribers (WebSocket and SSE), stopped by its last subscriber;
// closed WebSockets and aborted SSE requests free their subscriptions; the WebSocket door; scopes
// per field of each event; 10,000 subscribe/unsubscribe cycles leave the heap and handles flat.
// Limits, forward mode and shutdown: subscription-pollers-limits.test.ts. Atlas calls are counted at the simulator.

const POLL_MS = 50;
const READY = { deliveryUrl: [expect.stringMatching(/^https:\/\/restore-/)] };

let stack: Stack;
beforeAll(async () => {
  stack = await startLiveStack({ SUBSCRIPTION_MAX_PER_CONNECTION: '300', SUBSCRIPTION_POLL_MS: String(POLL_MS) });
});
afterAll(() => stack.close());
// Every job runs to its end after each test: the next test finds no poller and no subscription.
afterEach(async () => {
  stack.simulator.clock.fastForward();
  await until(async () => (await metric(stack, 'atlas_pollers_active')) === 0, 'no poller left');
});

const downloader = { 'x-api-key': KEYS.downloader };
const reader = { 'x-api-key': KEYS.reader };
const active = () => metric(stack, 'graphql_subscriptions_active');
const pollers = () => metric(stack, 'atlas_pollers_active');
const polls = async () =>
  (
    await Promise.all(
      ['changed', 'unchanged', 'error', 'gone'].map((o) => metric(stack, 'atlas_polls_total', `outcome="${o}"`)),
    )
  ).reduce((a, b) => a + b);
/** Lets `n` poll intervals pass (to see that no call is made). */
const intervals = (n: number) => new Promise((resolve) => setTimeout(resolve, n * POLL_MS));

describe('one poller per resource', () => {
  it('1,000 subscribers to one restore job (4 WebSocket connections × 225, 100 over SSE): one Atlas call per interval', async () => {
    const cluster = FLEET_CLUSTERS[0]!;
    const jobId = await createDownloadJob(stack, cluster);
    const payload = jobSubscription(cluster, jobId, 'id state deliveryUrl');
    const clients = Array.from({ length: 4 }, () => wsClient(stack, downloader));
    const [callsBefore, pollsBefore] = [jobPolls(stack), await polls()];
    const started = Date.now();
    const subscribers: Subscriber[] = [
      ...clients.flatMap((client) => Array.from({ length: 225 }, () => wsSubscribe(client, payload))),
      ...Array.from({ length: 100 }, () => sseSubscribe(stack, downloader, payload)),
    ];
    await Promise.all(subscribers.map((s) => s.received(1)));
    expect(await active()).toBe(1000);
    expect(await pollers()).toBe(1);
    const pending = { data: { clusterRestoreJob: { id: jobId, state: 'PENDING', deliveryUrl: [] } } };
    for (const s of subscribers) expect(s.events).toEqual([pending]);

    // Ten more intervals: one call each, never one per subscriber; nothing changed, so no event.
    const at = jobPolls(stack);
    await until(() => jobPolls(stack) >= at + 10, '10 more polls');
    const calls = jobPolls(stack) - callsBefore;
    expect(calls).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / POLL_MS) + 1);
    expect(calls).toBe((await polls()) - pollsBefore);
    for (const s of subscribers) expect(s.events).toHaveLength(1);

    // The URL appears: every subscriber gets it, from one read.
    const beforeReady = jobPolls(stack);
    stack.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
    await Promise.all(subscribers.map((s) => s.received(2)));
    expect(jobPolls(stack) - beforeReady).toBeLessThanOrEqual(2);
    for (const s of subscribers)
      expect(s.events[1]!.data!.clusterRestoreJob).toEqual({ id: jobId, state: 'READY', ...READY });

    // The link runs out: EXPIRED is everyone's last event, and the poller stops.
    stack.simulator.clock.advance(LIFECYCLE_MS.downloadLife);
    await Promise.all(subscribers.map((s) => s.ended));
    for (const s of subscribers) expect(s.events.at(-1)!.data!.clusterRestoreJob).toMatchObject({ state: 'EXPIRED' });
    expect([await active(), await pollers()]).toEqual([0, 0]);
    const last = jobPolls(stack);
    await intervals(5);
    expect(jobPolls(stack)).toBe(last);
    for (const client of clients) await client.dispose();
  }, 60_000);

  it('the poller runs while anyone watches, and stops when the last subscriber leaves: no call after', async () => {
    const cluster = FLEET_CLUSTERS[1]!;
    const jobId = await createDownloadJob(stack, cluster);
    const payload = jobSubscription(cluster, jobId);
    const [a, b] = [wsClient(stack, reader), wsClient(stack, reader)];
    const subscribers = [wsSubscribe(a, payload), wsSubscribe(b, payload), sseSubscribe(stack, reader, payload)];
    await Promise.all(subscribers.map((s) => s.received(1)));
    for (const leaving of subscribers.slice(0, 2)) {
      leaving.stop();
      const at = jobPolls(stack);
      await until(() => jobPolls(stack) >= at + 3, 'polls go on for those left');
      expect(await pollers()).toBe(1);
    }
    subscribers[2]!.stop();
    await until(async () => (await active()) === 0, 'the last subscription gone');
    expect(await pollers()).toBe(0);
    const last = jobPolls(stack);
    await intervals(10);
    expect(jobPolls(stack)).toBe(last);

    // A new subscriber starts a new poller, which reads at once.
    const again = wsSubscribe(a, payload);
    await again.received(1);
    expect(jobPolls(stack)).toBe(last + 1);
    expect(again.events[0]).toEqual({ data: { clusterRestoreJob: { id: jobId, state: 'PENDING' } } });
    for (const client of [a, b]) await client.dispose();
  });

  it('a closed or broken WebSocket and an aborted SSE request free their subscriptions; the poller stays for the others', async () => {
    const cluster = FLEET_CLUSTERS[2]!;
    const jobId = await createDownloadJob(stack, cluster);
    const payload = jobSubscription(cluster, jobId);
    const [closing, breaking, staying] = [wsClient(stack, reader), wsClient(stack, reader), wsClient(stack, reader)];
    const subscribers = [
      ...Array.from({ length: 10 }, () => wsSubscribe(closing, payload)),
      ...Array.from({ length: 10 }, () => wsSubscribe(breaking, payload)),
      ...Array.from({ length: 10 }, () => sseSubscribe(stack, reader, payload)),
      wsSubscribe(staying, payload),
    ];
    await Promise.all(subscribers.map((s) => s.received(1)));
    expect(await active()).toBe(31);

    await closing.dispose(); // a clean close (1000)
    await until(async () => (await active()) === 21, 'the closed connection’s 10 freed');
    // The socket cut without a close frame.
    const sockets = new Set<{ terminate(): void }>();
    const cut = wsClient(stack, reader, { connected: (socket) => sockets.add(socket as { terminate(): void }) });
    const extra = wsSubscribe(cut, payload);
    await extra.received(1);
    for (const socket of sockets) socket.terminate();
    await until(async () => (await active()) === 21, 'the cut connection’s subscription freed');
    breaking.terminate();
    await until(async () => (await active()) === 11, 'the broken connection’s 10 freed');
    for (const s of subscribers.slice(20, 30)) s.stop();
    await until(async () => (await active()) === 1, 'the aborted SSE requests’ 10 freed');

    expect(await pollers()).toBe(1);
    const at = jobPolls(stack);
    await until(() => jobPolls(stack) >= at + 2, 'polls go on for the one left');
    await staying.dispose();
    await until(async () => (await pollers()) === 0, 'the poller stopped');
    expect(await active()).toBe(0);
    await cut.dispose();
  });
});

describe('callers', () => {
  it('scopes apply per field of each event: without backups:download, deliveryUrl is null and FORBIDDEN, from the one shared poller', async () => {
    const cluster = FLEET_CLUSTERS[3]!;
    const jobId = await createDownloadJob(stack, cluster);
    const payload = jobSubscription(cluster, jobId, 'id state deliveryUrl');
    const [readerWs, downloaderWs] = [wsClient(stack, reader), wsClient(stack, downloader)];
    const readers = [wsSubscribe(readerWs, payload), sseSubscribe(stack, reader, payload)];
    const granted = wsSubscribe(downloaderWs, payload);
    await Promise.all([...readers, granted].map((s) => s.received(1)));
    expect(await pollers()).toBe(1);
    stack.simulator.clock.advance(LIFECYCLE_MS.restore.finished);
    await Promise.all([...readers, granted].map((s) => s.received(2)));

    expect(granted.events.map((e) => e.data!.clusterRestoreJob)).toEqual([
      { id: jobId, state: 'PENDING', deliveryUrl: [] },
      { id: jobId, state: 'READY', ...READY },
    ]);
    for (const s of readers) {
      expect(s.events.map((e) => e.data!.clusterRestoreJob)).toEqual([
        { id: jobId, state: 'PENDING', deliveryUrl: null },
        { id: jobId, state: 'READY', deliveryUrl: null },
      ]);
      for (const event of s.events) {
        expect(event.errors).toHaveLength(1);
        expect(event.errors![0]).toMatchObject({
          path: ['clusterRestoreJob', 'deliveryUrl'],
          extensions: { code: 'FORBIDDEN' },
        });
      }
    }
    expect(JSON.stringify(readers.map((s) => s.events))).not.toContain('https://');
    for (const client of [readerWs, downloaderWs]) await client.dispose();
  });

  it('a WebSocket without a valid key is closed with 4403 on connection_init, before any Atlas call', async () => {
    const cluster = FLEET_CLUSTERS[4]!;
    const jobId = await createDownloadJob(stack, cluster);
    stack.simulator.reset();
    const refusedParams: Record<string, string>[] = [
      {},
      { 'x-api-key': 'not-a-key' },
      { authorization: 'Bearer not-a-key' },
      { 'x-api-key': '' },
    ];
    for (const params of refusedParams) {
      const closes: number[] = [];
      const client = wsClient(stack, params, { closed: (event) => void closes.push((event as { code: number }).code) });
      const refused = wsSubscribe(client, jobSubscription(cluster, jobId));
      await expect(refused.ended).rejects.toMatchObject({ code: 4403 });
      expect(closes).toEqual([4403]);
      expect(refused.events).toEqual([]);
      await client.dispose();
    }
    expect(stack.simulator.upstreamCalls()).toBe(0);
    expect(await active()).toBe(0);
    // The same key as a bearer token is let in.
    const client = wsClient(stack, { authorization: `Bearer ${KEYS.reader}` });
    const admitted = wsSubscribe(client, jobSubscription(cluster, jobId));
    await admitted.received(1);
    expect(admitted.events[0]!.data).toEqual({ clusterRestoreJob: { id: jobId, state: 'PENDING' } });
    await client.dispose();
  });
});

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** The heap after collection, finalizers run (undici's Request signals are let go in a FinalizationRegistry's callbacks). */
async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
}
/** The process's handles by kind (sockets, servers, timers that keep it alive). */
function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe('resources held', () => {
  it('2 × 10,000 subscribe/unsubscribe cycles over WebSocket leave the heap and the handles flat', async () => {
    const cluster = FLEET_CLUSTERS[5]!;
    const jobId = await createDownloadJob(stack, cluster);
    const payload = jobSubscription(cluster, jobId);
    const clients = Array.from({ length: 4 }, () => wsClient(stack, reader));
    // One subscriber per connection stays throughout (the connections stay open): each cycle joins
    // the running poller, gets the state, leaves.
    const anchors = clients.map((client) => wsSubscribe(client, payload));
    await Promise.all(anchors.map((s) => s.received(1)));
    const cycles = async (count: number) => {
      const lanes = clients.flatMap((client) => Array.from({ length: 5 }, () => client));
      await Promise.all(
        lanes.map(async (client) => {
          for (let n = 0; n < count / lanes.length; n++) {
            const s = wsSubscribe(client, payload);
            await s.received(1);
            s.stop();
          }
        }),
      );
      await until(async () => (await active()) === anchors.length, 'every cycle’s subscription gone');
    };
    await cycles(3_000); // warm-up: JIT, pools, the weak tables' capacity
    const [heapBefore, handlesBefore, callsBefore] = [await heapAfterGc(), handles(), jobPolls(stack)];
    const started = Date.now();
    await cycles(10_000);
    const heapBetween = await heapAfterGc();
    await cycles(10_000);
    const heapAfter = await heapAfterGc();
    const handlesAfter = handles();
    console.log('subscription cycles:', {
      seconds: (Date.now() - started) / 1000,
      heapBefore,
      heapBetween,
      heapAfter,
      handlesBefore,
      handlesAfter,
    });

    // Two batches of 10,000: a leak grows the heap in both, the collector's noise (1.3–4.1 MiB seen for
    // one batch on a busy machine) not twice alike. A leak of 300 bytes a cycle fails this.
    expect(Math.min(heapBetween - heapBefore, heapAfter - heapBetween)).toBeLessThan(3 * 2 ** 20);
    // Of each kind, no more than before give or take a keep-alive socket or the poller's timer coming
    // and going: one left behind per cycle would be thousands.
    for (const [kind, count] of Object.entries(handlesAfter))
      expect(count, kind).toBeLessThanOrEqual((handlesBefore[kind] ?? 0) + 2);
    expect([await active(), await pollers()]).toEqual([4, 1]);
    // The cycles joined the poller: its calls followed the interval, not the 10,000 subscriptions.
    expect(jobPolls(stack) - callsBefore).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / POLL_MS) + 1);
    for (const s of anchors) expect(s.events).toHaveLength(1);
    for (const client of clients) await client.dispose();
  }, 120_000);
});
