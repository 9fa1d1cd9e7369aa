import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { TEST_KEY } from '../helpers.js';

// What fleet-subscriptions.test.ts shares: a replica in a process of its own (`npm run dev`'s entry
// under tsx), which a test can kill with SIGKILL — no shutdown, no lease given back, its Redis
// connections cut as in a crash; readiness and metrics read by URL, from any replica.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A replica running as a child process. */
export interface ChildReplica {
  readonly graphqlUrl: string;
  /** SIGKILL: the process dies at once, as a crashed or evicted replica would. */
  kill(): Promise<void>;
}

/**
 * Starts src/main.ts in a child process against the simulator at `atlasUrl` (the test API key), with
 * `env` on top; resolves once it listens (its "serving MongoDB Atlas" log line). Killed when the
 * test finishes, if still running.
 */
export async function spawnReplica(atlasUrl: string, env: Record<string, string>): Promise<ChildReplica> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      MONGODB_ATLAS_BASE_URL: atlasUrl,
      MONGODB_ATLAS_PUBLIC_API_KEY: TEST_KEY.publicKey,
      MONGODB_ATLAS_PRIVATE_API_KEY: TEST_KEY.privateKey,
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
      // The line that says where it listens is at info.
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };
  onTestFinished(kill);
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const graphqlUrl = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`the replica did not start in 20 s: ${output.slice(-2000)}`)),
      20_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        const url = line.startsWith('{') ? (JSON.parse(line) as { graphql?: unknown }).graphql : undefined;
        if (typeof url === 'string') {
          clearTimeout(timer);
          resolve(url);
        }
      }
    });
    void exited.then(() => reject(new Error(`the replica exited: ${output.slice(-2000)}`)));
  });
  return { graphqlUrl, kill };
}

/** What a replica's readiness says of Redis (`up`, `down`). */
export async function redisSeenBy(graphqlUrl: string): Promise<unknown> {
  const response = await fetch(graphqlUrl.replace('/graphql', '/readiness'));
  return ((await response.json()) as { redis?: unknown }).redis;
}

/** The polls a replica made (atlas_polls_total over every outcome), read from its /metrics with `key`. */
export async function pollsBy(graphqlUrl: string, key: string): Promise<number> {
  const text = await (
    await fetch(graphqlUrl.replace('/graphql', '/metrics'), { headers: { 'x-api-key': key } })
  ).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('atlas_polls_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** One sample of a metric from a replica's /metrics (0 when absent). */
export async function metricOf(graphqlUrl: string, key: string, name: string): Promise<number> {
  const text = await (
    await fetch(graphqlUrl.replace('/graphql', '/metrics'), { headers: { 'x-api-key': key } })
  ).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}
