import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AtlasCircuitOpenError,
  AtlasNotFoundError,
  AtlasRateLimitHoldError,
  AtlasResponseError,
} from '../../src/atlas/errors.js';
import { Poller, type PollPlan, type WatchEvent } from '../../src/backups/watch/poller.js';
import { SubscriptionLimitError, WatchHub } from '../../src/backups/watch/watch-hub.js';

// The live-status poller and hub (src/backups/watch) with a fake PollPlan on fake timers: no
// network. What a read returns is scripted; reads are counted, and timed by the fake clock.

interface Job {
  id: string;
  state: string;
}

const INTERVAL = 100;
const TIMING = { errorBackoffMs: 100, maxBackoffMs: 1_000 };

/** One scripted answer: a value, a failure, or a read the test finishes itself. */
type Answer = Job | Error | Deferred;
class Deferred {
  resolve!: (job: Job) => void;
  reject!: (error: unknown) => void;
  readonly promise = new Promise<Job>((resolve, reject) => Object.assign(this, { resolve, reject }));
}

/** A plan reading `script` in order (then its last answer again); DONE is terminal. */
function fakePlan(...script: Answer[]) {
  const stats = { reads: 0, inFlight: 0, maxInFlight: 0, at: [] as number[] };
  const plan: PollPlan<Job> = {
    async read() {
      const answer = script.length > 1 ? script.shift()! : script[0]!;
      stats.reads += 1;
      stats.at.push(Date.now());
      stats.inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try {
        if (answer instanceof Deferred) return await answer.promise;
        if (answer instanceof Error) throw answer;
        return answer;
      } finally {
        stats.inFlight -= 1;
      }
    },
    fingerprint: (job) => JSON.stringify(job),
    terminal: (job) => job.state === 'DONE',
    intervalMs: () => INTERVAL,
  };
  return { plan, stats };
}

const job = (state: string): Job => ({ id: 'j1', state });
const stateOf = (state: string, terminal = false): WatchEvent<Job> => ({ kind: 'state', value: job(state), terminal });
const tooMany = (status = 429, retryAfterSeconds?: number) =>
  new AtlasResponseError('getBackupRestoreJob', status, { errorCode: 'RATE_LIMITED' }, retryAfterSeconds);
/** Lets `ms` of fake time pass, running what falls due (and the promises it settles). */
const pass = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** A poller of `plan` with its events, outcomes and stops recorded. */
function pollerOf(plan: PollPlan<Job>) {
  const outcomes: string[] = [];
  const stops = { count: 0 };
  const poller = new Poller(
    plan,
    TIMING,
    () => (stops.count += 1),
    (o) => outcomes.push(o),
  );
  const watcher = () => {
    const events: WatchEvent<Job>[] = [];
    const leave = poller.watch((e) => events.push(e));
    return { events, leave };
  };
  return { poller, outcomes, stops, watcher };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('Poller', () => {
  it('reads at once for the first watcher, every interval after, and tells watchers only of changes', async () => {
    const { plan, stats } = fakePlan(job('PENDING'), job('PENDING'), job('PENDING'), job('READY'));
    const { outcomes, watcher } = pollerOf(plan);
    const a = watcher();
    await pass(0);
    expect(stats.reads).toBe(1);
    expect(a.events).toEqual([stateOf('PENDING')]);
    await pass(INTERVAL * 3);
    expect(stats.reads).toBe(4);
    expect(a.events).toEqual([stateOf('PENDING'), stateOf('READY')]);
    expect(outcomes).toEqual(['changed', 'unchanged', 'unchanged', 'changed']);
  });

  it('a watcher joining late gets the last state at once, without a read of its own; many watchers, one read an interval', async () => {
    const { plan, stats } = fakePlan(job('PENDING'));
    const { poller, watcher } = pollerOf(plan);
    watcher();
    await pass(0);
    const late = Array.from({ length: 1_000 }, () => watcher());
    for (const w of late) expect(w.events).toEqual([stateOf('PENDING')]);
    expect(poller.watchers).toBe(1_001);
    expect(stats.reads).toBe(1);
    await pass(INTERVAL * 10);
    expect(stats.reads).toBe(11);
  });

  it('a watcher joining while the first read is in flight starts no other read, and gets the state once', async () => {
    const first = new Deferred();
    const { plan, stats } = fakePlan(first, job('PENDING'));
    const { watcher } = pollerOf(plan);
    const [a, b] = [watcher(), watcher()];
    await pass(0);
    expect(stats.reads).toBe(1);
    first.resolve(job('PENDING'));
    await pass(0);
    expect(a.events).toEqual([stateOf('PENDING')]);
    expect(b.events).toEqual([stateOf('PENDING')]);
  });

  it('reads never overlap: a slow read delays the next one, which comes an interval after it', async () => {
    const slow = new Deferred();
    const { plan, stats } = fakePlan(job('PENDING'), slow, job('PENDING'));
    const { watcher } = pollerOf(plan);
    watcher();
    await pass(INTERVAL);
    expect(stats.reads).toBe(2);
    await pass(INTERVAL * 20);
    expect(stats.reads).toBe(2);
    slow.resolve(job('PENDING'));
    await pass(INTERVAL - 1);
    expect(stats.reads).toBe(2);
    await pass(1);
    expect(stats.reads).toBe(3);
    expect(stats.maxInFlight).toBe(1);
  });

  it('a terminal state is the last event (terminal: true): the poller stops and reads no more', async () => {
    const { plan, stats } = fakePlan(job('PENDING'), job('DONE'));
    const { poller, stops, watcher } = pollerOf(plan);
    const a = watcher();
    await pass(INTERVAL);
    expect(a.events).toEqual([stateOf('PENDING'), stateOf('DONE', true)]);
    expect(stops.count).toBe(1);
    await pass(INTERVAL * 10);
    expect(stats.reads).toBe(2);
    poller.stop();
    a.leave();
    expect(stops.count).toBe(1);
  });

  it.each([
    ['AtlasNotFoundError', new AtlasNotFoundError('getBackupRestoreJob', tooMany(404), 'no such job')],
    ['a 404 AtlasResponseError', tooMany(404)],
  ])('%s: a last `gone` event, then the poller stops', async (_name, error) => {
    const { plan, stats } = fakePlan(job('PENDING'), error);
    const { outcomes, stops, watcher } = pollerOf(plan);
    const a = watcher();
    await pass(INTERVAL * 5);
    expect(a.events).toEqual([stateOf('PENDING'), { kind: 'gone', error }]);
    expect(outcomes).toEqual(['changed', 'gone']);
    expect([stats.reads, stops.count]).toEqual([2, 1]);
  });

  it('a failed read is an error event; the next waits twice as long each time, up to maxBackoffMs, then the interval again', async () => {
    const failure = new Error('boom');
    const failures = Array.from({ length: 6 }, () => failure);
    const { plan, stats } = fakePlan(job('PENDING'), ...failures, job('READY'));
    const { outcomes, watcher } = pollerOf(plan);
    const a = watcher();
    await pass(10_000);
    const gaps = stats.at.slice(1).map((t, n) => t - stats.at[n]!);
    expect(gaps.slice(0, 8)).toEqual([INTERVAL, 100, 200, 400, 800, 1_000, 1_000, INTERVAL]);
    expect(a.events.slice(0, 8)).toEqual([
      stateOf('PENDING'),
      ...failures.map((error) => ({ kind: 'error', error })),
      stateOf('READY'),
    ]);
    expect(outcomes.slice(0, 8)).toEqual(['changed', ...failures.map(() => 'error'), 'changed']);
  });

  it.each([
    ["Atlas's Retry-After", tooMany(429, 3), 3_000],
    ['the rate-limit hold', new AtlasRateLimitHoldError('getBackupRestoreJob', 5), 5_000],
    ["the open breaker's cooldown", new AtlasCircuitOpenError('getBackupRestoreJob', 2_500), 2_500],
    ['a Retry-After shorter than the back-off: the back-off', tooMany(429, 0), 100],
  ])('after a failure, the next read waits as %s asks', async (_name, error, waitMs) => {
    const { plan, stats } = fakePlan(job('PENDING'), error, job('PENDING'));
    const { watcher } = pollerOf(plan);
    watcher();
    await pass(INTERVAL);
    expect(stats.reads).toBe(2);
    await pass(waitMs - 1);
    expect(stats.reads).toBe(2);
    await pass(1);
    expect(stats.reads).toBe(3);
  });

  it('the last watcher leaving stops it: no read after, and a read in flight is dropped unseen', async () => {
    const inFlight = new Deferred();
    const { plan, stats } = fakePlan(job('PENDING'), inFlight);
    const { outcomes, stops, watcher } = pollerOf(plan);
    const [a, b] = [watcher(), watcher()];
    await pass(INTERVAL);
    expect(stats.reads).toBe(2);
    a.leave();
    expect(stops.count).toBe(0);
    b.leave();
    expect(stops.count).toBe(1);
    inFlight.resolve(job('READY'));
    await pass(INTERVAL * 10);
    expect(stats.reads).toBe(2);
    expect(a.events).toEqual([stateOf('PENDING')]);
    expect(outcomes).toEqual(['changed']);
    expect(vi.getTimerCount()).toBe(0);
  });
});

/** A hub with small limits; `plans` counts the plans it asked for (a poller made). */
function hubOf(limits: { maxSubscriptions?: number; maxResources?: number } = {}) {
  const outcomes: string[] = [];
  const hub = new WatchHub({
    ...TIMING,
    maxSubscriptions: limits.maxSubscriptions ?? 100,
    maxResources: limits.maxResources ?? 10,
    onPoll: (o) => outcomes.push(o),
  });
  const made: string[] = [];
  const plans = new Map<string, ReturnType<typeof fakePlan>>();
  const watch = (key: string, ...script: Answer[]) =>
    hub.watch(key, () => {
      made.push(key);
      const fake = fakePlan(...(script.length > 0 ? script : [job('PENDING')]));
      plans.set(key, fake);
      return fake.plan;
    });
  return { hub, made, plans, watch, outcomes };
}

describe('WatchHub', () => {
  it('one poller per key, whatever the number of watchers; another key (resource or credentials) gets its own', async () => {
    const { hub, made, plans, watch } = hubOf();
    const streams = Array.from({ length: 50 }, () => watch('job:j1@service'));
    streams.push(watch('job:j1@token:a'), watch('job:j2@service'));
    await pass(0);
    expect(made).toEqual(['job:j1@service', 'job:j1@token:a', 'job:j2@service']);
    expect([hub.subscriptions, hub.pollers]).toEqual([52, 3]);
    for (const s of streams) expect(await s.next()).toEqual({ done: false, value: stateOf('PENDING') });
    await pass(INTERVAL * 5);
    expect(plans.get('job:j1@service')!.stats.reads).toBe(6);
  });

  it('SUBSCRIPTION_MAX_TOTAL: past it, SubscriptionLimitError before any plan or read', async () => {
    const { hub, made, watch } = hubOf({ maxSubscriptions: 3 });
    const held = [watch('a'), watch('a'), watch('b')];
    expect(() => watch('c')).toThrow(SubscriptionLimitError);
    expect(() => watch('a')).toThrow(expect.objectContaining({ limit: 'SUBSCRIPTION_MAX_TOTAL', max: 3 }));
    expect(made).toEqual(['a', 'b']);
    expect([hub.subscriptions, hub.pollers]).toEqual([3, 2]);
    await held[0]!.return!();
    expect(hub.subscriptions).toBe(2);
    watch('c');
    expect(made).toEqual(['a', 'b', 'c']);
  });

  it('SUBSCRIPTION_MAX_RESOURCES: a new resource past it is refused before any plan or read; watchers of polled ones are not', async () => {
    const { hub, made, plans, watch } = hubOf({ maxResources: 2 });
    const [a] = [watch('a'), watch('b')];
    expect(() => watch('c')).toThrow(expect.objectContaining({ limit: 'SUBSCRIPTION_MAX_RESOURCES', max: 2 }));
    watch('a');
    expect(made).toEqual(['a', 'b']);
    expect([hub.subscriptions, hub.pollers]).toEqual([3, 2]);
    await pass(INTERVAL * 3);
    expect(plans.has('c')).toBe(false);
    await a.return!();
    expect(hub.pollers).toBe(2); // another watcher of 'a' is left
  });

  it('a slow reader gets the newest error and the newest state, not a backlog', async () => {
    const failure = new Error('boom');
    const { watch } = hubOf();
    const stream = watch('a', job('PENDING'), job('STEP1'), job('STEP2'), failure, job('STEP3'), job('STEP4'));
    await pass(INTERVAL * 5);
    const seen: WatchEvent<Job>[] = [];
    for (let n = 0; n < 2; n++) seen.push((await stream.next()).value as WatchEvent<Job>);
    expect(seen).toEqual([{ kind: 'error', error: failure }, stateOf('STEP4')]);
  });

  it('an Atlas flipping between failing and answering cannot grow a slow reader’s queue', async () => {
    const failure = new Error('flaky');
    const { watch } = hubOf();
    const flips = Array.from({ length: 100 }, (_, n) => (n % 2 ? failure : job(`S${n}`)));
    const stream = watch('a', job('PENDING'), ...flips);
    await pass(INTERVAL * 120);
    const first = (await stream.next()).value as WatchEvent<Job>;
    const second = (await stream.next()).value as WatchEvent<Job>;
    expect([first.kind, second.kind].sort()).toEqual(['error', 'state']);
    let third: IteratorResult<WatchEvent<Job>> | 'waiting' = 'waiting';
    void stream.next().then((result) => (third = result));
    await pass(0);
    expect(third).toBe('waiting');
  });

  it('the terminal state is the stream’s last event; the hub forgets the poller, and a new watcher gets a new one', async () => {
    const { hub, made, watch } = hubOf();
    const stream = watch('a', job('PENDING'), job('DONE'));
    await pass(INTERVAL);
    expect(await stream.next()).toEqual({ done: false, value: stateOf('DONE', true) });
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect([hub.subscriptions, hub.pollers]).toEqual([0, 0]);
    watch('a');
    expect(made).toEqual(['a', 'a']);
  });

  it('a watcher leaving (return) frees its subscription at once; the last one stops the poller and its reads', async () => {
    const { hub, plans, watch } = hubOf();
    const [one, two] = [watch('a'), watch('a')];
    await pass(0);
    const pending = one.next();
    await one.return!();
    expect(await pending).toEqual({ done: false, value: stateOf('PENDING') }); // it was queued
    expect(await one.next()).toEqual({ done: true, value: undefined });
    expect([hub.subscriptions, hub.pollers]).toEqual([1, 1]);
    await two.return!();
    expect([hub.subscriptions, hub.pollers]).toEqual([0, 0]);
    const reads = plans.get('a')!.stats.reads;
    await pass(INTERVAL * 10);
    expect(plans.get('a')!.stats.reads).toBe(reads);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() ends every stream after what is queued, wakes waiting readers, and stops every poller', async () => {
    const { hub, plans, watch } = hubOf();
    const waiting = watch('a');
    await pass(0);
    expect(await waiting.next()).toEqual({ done: false, value: stateOf('PENDING') });
    const parked = waiting.next(); // nothing queued: waits for a change
    const queued = watch('b');
    await pass(0);
    hub.close();
    expect(await parked).toEqual({ done: true, value: undefined });
    expect(await queued.next()).toEqual({ done: false, value: stateOf('PENDING') });
    expect(await queued.next()).toEqual({ done: true, value: undefined });
    expect([hub.subscriptions, hub.pollers]).toEqual([0, 0]);
    await pass(INTERVAL * 10);
    expect([plans.get('a')!.stats.reads, plans.get('b')!.stats.reads]).toEqual([1, 1]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('tells onPoll every read’s outcome, for the metrics', async () => {
    const { outcomes, watch } = hubOf();
    watch('a', job('PENDING'), job('PENDING'), new Error('boom'), tooMany(404));
    await pass(INTERVAL * 3);
    expect(outcomes).toEqual(['changed', 'unchanged', 'error', 'gone']);
  });
});
