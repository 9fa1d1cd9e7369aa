import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Stack } from '../helpers.js';
import {
  createDownloadJob,
  FLEET_CLUSTERS,
  jobSubscription,
  KEYS,
  metric,
  startLiveStack,
} from './subscription-pollers-kit.js';

// Regressions of the adversarial review of live status (issue #14): each failed before its fix.

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

interface Message {
  id?: string;
  type: string;
}

async function open(s: Stack) {
  const ws = new WebSocket(s.app.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: Message[] = [];
  ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as Message));
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { 'x-api-key': KEYS.reader } }));
  await until(() => messages.some((m) => m.type === 'connection_ack'));
  return { ws, messages };
}

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

it('a burst of subscribes on one connection cannot pass SUBSCRIPTION_MAX_PER_CONNECTION', async () => {
  stack = await startLiveStack({ SUBSCRIPTION_MAX_PER_CONNECTION: '3' });
  const cluster = FLEET_CLUSTERS[0]!;
  const job = await createDownloadJob(stack, cluster);
  const { ws, messages } = await open(stack);
  const query = jobSubscription(cluster, job);
  for (let i = 0; i < 50; i += 1) ws.send(JSON.stringify({ id: `s${i}`, type: 'subscribe', payload: query }));
  await until(() => messages.filter((m) => m.type === 'error' || m.type === 'next').length >= 50);
  expect(await metric(stack, 'graphql_subscriptions_active')).toBe(3);
  expect(messages.filter((m) => m.type === 'error')).toHaveLength(47);
  ws.close();
});

it('an id completed and reused at once leaves nothing running once the socket is gone', async () => {
  stack = await startLiveStack({ SUBSCRIPTION_MAX_PER_CONNECTION: '3' });
  const cluster = FLEET_CLUSTERS[0]!;
  const job = await createDownloadJob(stack, cluster);
  const { ws, messages } = await open(stack);
  const query = jobSubscription(cluster, job);
  for (let i = 0; i < 10; i += 1) {
    const id = `r${i}`;
    ws.send(JSON.stringify({ id, type: 'subscribe', payload: query }));
    await until(() => messages.some((m) => m.id === id));
    ws.send(JSON.stringify({ id, type: 'complete' }));
    ws.send(JSON.stringify({ id, type: 'subscribe', payload: query }));
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  expect(await metric(stack, 'graphql_subscriptions_active')).toBeLessThanOrEqual(3);
  ws.terminate();
  const live = stack;
  for (let i = 0; i < 100 && (await metric(live, 'graphql_subscriptions_active')) > 0; i += 1)
    await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await metric(stack, 'graphql_subscriptions_active')).toBe(0);
  expect(await metric(stack, 'atlas_pollers_active')).toBe(0);
});
