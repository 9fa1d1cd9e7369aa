import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

// What the servers ask of Redis during a measured window, counted from Redis's MONITOR stream: each
// command a client sent is one round trip (the servers pipeline nothing on the read path), and the
// commands a Lua script ran inside Redis (MONITOR's `lua` source) are counted apart — INFO's
// commandstats and total_commands_processed count both alike, so they would overstate the round trips.

/** Commands seen so far: sent by clients (round trips), by name, and run inside scripts. */
export interface RedisCounts {
  roundTrips: number;
  byCommand: Record<string, number>;
  insideScripts: number;
}

/** This counter's own traffic, and the servers' connection set-up: not the servers' work. */
const IGNORED = new Set(['info', 'flushall', 'client', 'select', 'hello', 'ping', 'monitor', 'echo']);

/** A MONITOR connection that counts the commands every other client sends, and a connection to flush with. */
export class RedisCommandCounter {
  readonly #counts: RedisCounts = { roundTrips: 0, byCommand: {}, insideScripts: 0 };
  /** Marks sent by `counts()` that MONITOR has not shown yet. */
  readonly #marks = new Map<string, () => void>();
  #nextMark = 0;

  private constructor(
    private readonly monitor: Redis,
    private readonly control: Redis,
  ) {
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      const command = args[0]?.toLowerCase() ?? '';
      if (command === 'echo') this.#marks.get(args[1] ?? '')?.();
      if (IGNORED.has(command)) return;
      if (source === 'lua') {
        this.#counts.insideScripts += 1;
        return;
      }
      this.#counts.roundTrips += 1;
      this.#counts.byCommand[command] = (this.#counts.byCommand[command] ?? 0) + 1;
    });
  }

  /** Connects to `url` and starts monitoring. */
  static async open(url: string): Promise<RedisCommandCounter> {
    const control = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await control.connect();
    const monitor = await control.duplicate().monitor();
    return new RedisCommandCounter(monitor, control);
  }

  /**
   * The counts of every command Redis ran before this call (subtract two to get a window's): MONITOR
   * lags behind, so a mark is sent and the counts are read once MONITOR shows it.
   */
  async counts(): Promise<RedisCounts> {
    const mark = `bench-mark-${this.#nextMark++}`;
    const seen = new Promise<void>((resolve) => this.#marks.set(mark, resolve));
    await this.control.echo(mark);
    const late = sleep(5_000, undefined, { ref: false }).then(() =>
      Promise.reject(new Error('MONITOR did not show its mark within 5 s')),
    );
    await Promise.race([seen, late]);
    this.#marks.delete(mark);
    return { ...this.#counts, byCommand: { ...this.#counts.byCommand } };
  }

  /** Empties Redis (a cold cache for the next configuration). */
  async flush(): Promise<void> {
    await this.control.flushall();
  }

  async close(): Promise<void> {
    this.monitor.disconnect();
    await this.control.quit();
  }
}

/** `after − before`, command by command. */
export function countsBetween(before: RedisCounts, after: RedisCounts): RedisCounts {
  const byCommand: Record<string, number> = {};
  for (const [command, n] of Object.entries(after.byCommand)) {
    const delta = n - (before.byCommand[command] ?? 0);
    if (delta > 0) byCommand[command] = delta;
  }
  return {
    roundTrips: after.roundTrips - before.roundTrips,
    byCommand,
    insideScripts: after.insideScripts - before.insideScripts,
  };
}
