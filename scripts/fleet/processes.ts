import { START_NODE_OPTIONS, startChild, type Child } from '../../bench/processes.js';
import { ALL_SCOPES } from '../../src/config/scopes.js';
import { hasRedis, startRedis, type TestRedis } from '../../test/redis.js';
import { startFleetGateway, type FleetGateway } from './gateway.js';
import { forwardLogs } from './logs.js';

// The processes of `npm run fleet` (scripts/fleet.ts): what starts them, in which order, and what
// stops every one of them again.

/** What the fleet command was asked for. */
export interface FleetSettings {
  /** The gateway's port (0: a free one). */
  port: number;
  replicas: number;
  /** Start redis-server when it is installed. */
  redis: boolean;
  /** Replicas from src/ through tsx, not dist/. */
  fromSource: boolean;
  /** Print every replica log line, not only warnings and errors. */
  logs: boolean;
  /** The key pair the simulator requires (HTTP Digest) and the replicas hold. */
  atlasKey: { publicKey: string; privateKey: string };
  /** A caller key with every scope (AUTH_API_KEYS of every replica). */
  callerKey: string;
}

/** A started fleet. */
export interface StartedFleet {
  simulator: Child;
  /** Undefined when Redis was not started (see `redisMissing`). */
  redis: TestRedis | undefined;
  /** Why there is no Redis, when there is none. */
  redisMissing: string | undefined;
  replicas: Child[];
  gateway: FleetGateway;
}

const GRAPHQL_URL = /"graphql":"(http:\/\/[^"]+)"/;
const isAlive = (child: Child) => child.process.exitCode === null && child.process.signalCode === null;

/** Starts the simulator and Redis, then the replicas, then the gateway; stops all it started. */
export class FleetProcesses {
  readonly #children: Child[] = [];
  #redis: TestRedis | undefined;
  #gateway: FleetGateway | undefined;
  /** Set by `stop()`: a child ending from then on is expected. */
  stopping = false;

  async start(settings: FleetSettings): Promise<StartedFleet> {
    const useRedis = settings.redis && hasRedis;
    const [simulator] = await Promise.all([
      startChild('src/simulator/main.ts', {
        SIM_PORT: '0',
        SIM_PUBLIC_KEY: settings.atlasKey.publicKey,
        SIM_PRIVATE_KEY: settings.atlasKey.privateKey,
        SIM_CONTROL_API: 'true',
      }).then((child) => this.#watch(child, 'simulator')),
      useRedis ? startRedis().then((redis) => void (this.#redis = redis)) : undefined,
    ]);
    const redis = this.#redis;
    const env: Record<string, string> = {
      MONGODB_ATLAS_BASE_URL: simulator.url,
      MONGODB_ATLAS_PUBLIC_API_KEY: settings.atlasKey.publicKey,
      MONGODB_ATLAS_PRIVATE_API_KEY: settings.atlasKey.privateKey,
      AUTH_API_KEYS: `fleet@${settings.callerKey} ${ALL_SCOPES.join(' ')}`,
      PORT: '0',
      FLEET_REPLICAS: String(settings.replicas),
      ...(redis ? { REDIS_URL: redis.url } : {}),
      // As `npm start` runs it (its heap limits).
      ...(settings.fromSource ? {} : { NODE_OPTIONS: START_NODE_OPTIONS }),
    };
    const replicas = await Promise.all(
      Array.from({ length: settings.replicas }, async (_, i) => {
        const child = await startChild(settings.fromSource ? 'src/main.ts' : 'dist/main.js', env, GRAPHQL_URL);
        forwardLogs(child.process, `replica ${i + 1}`, settings.logs);
        return this.#watch(child, `replica ${i + 1}`);
      }),
    );
    this.#gateway = await startFleetGateway(
      replicas.map((child) => ({ url: child.url, alive: () => isAlive(child) })),
      '127.0.0.1',
      settings.port,
    );
    const redisMissing = redis
      ? undefined
      : settings.redis
        ? 'no redis-server here; apt-get install redis-server'
        : '--no-redis';
    return { simulator, redis, redisMissing, replicas, gateway: this.#gateway };
  }

  /** Stops the gateway, then the replicas and the simulator (SIGTERM, SIGKILL after 5 s), then Redis. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.#gateway?.close();
    await Promise.all(this.#children.map((child) => child.stop()));
    await this.#redis?.stop();
  }

  /** SIGKILLs whatever still runs, at once (the command's process is exiting). */
  killNow(): void {
    for (const child of this.#children) if (isAlive(child)) child.process.kill('SIGKILL');
    try {
      if (this.#redis?.pid !== undefined) process.kill(this.#redis.pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }

  /** Keeps `child` to stop it, and says when it ends on its own (the gateway then skips a replica). */
  #watch(child: Child, name: string): Child {
    this.#children.push(child);
    child.process.once('exit', (code, signal) => {
      if (!this.stopping) process.stdout.write(`${name} exited (${signal ?? `code ${code}`})\n`);
    });
    return child;
  }
}
