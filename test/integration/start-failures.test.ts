import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

// src/main.ts's exit codes when the start fails (docs/production.md "Exit codes"), so that a supervisor
// restarting on failure (systemd Restart=on-failure, compose `on-failure`) sees one: 2 for a
// configuration error (REDIS_URL included: a URL ioredis could not use is one), 1 for anything else
// (a port in use), with one log line that says why and holds no secret.

const PRIVATE_KEY = 'private-key-canary-'.padEnd(36, 'x');
const BASE = {
  ALLOW_UNAUTHENTICATED: 'true',
  MONGODB_ATLAS_PUBLIC_API_KEY: 'abcdefgh',
  MONGODB_ATLAS_PRIVATE_API_KEY: PRIVATE_KEY,
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'info',
};

/** Runs `src/main.ts` with `env` until it exits (killed after 30 s): its exit code and its output. */
function start(env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  const { PATH, HOME } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH, HOME, ...BASE, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('close', (status) => {
      clearTimeout(killer);
      resolve({ status, output });
    }),
  );
}

const blockers: Server[] = [];
/** A port something else already listens on. */
async function portInUse(): Promise<number> {
  const blocker = createServer();
  blockers.push(blocker);
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  return (blocker.address() as { port: number }).port;
}
afterEach(() => blockers.splice(0).forEach((blocker) => blocker.close()));

/** The output's one line, read as the JSON log line it must be. */
function onlyLogLine(output: string): { level: number; msg: string; err: Record<string, unknown> } {
  const lines = output.trim().split('\n');
  expect(lines, output).toHaveLength(1);
  return JSON.parse(lines[0]!) as { level: number; msg: string; err: Record<string, unknown> };
}

describe('a REDIS_URL ioredis could not use: exit code 2, naming REDIS_URL, never the value', () => {
  for (const url of [
    'redis://user:s3cret@127.0.0.1:99999', // port out of range
    'redis://:s3cr%zzet@127.0.0.1:6379', // broken percent-encoding
    'redis://:s3cret@[::1:6379', // unclosed IPv6 bracket
  ]) {
    it(
      url.replace(/s3cr\S*@/, '…@'),
      async () => {
        const { status, output } = await start({ REDIS_URL: url });
        expect(output).not.toMatch(/s3cr/);
        expect(output, output).toMatch(/^atlas-backups-graphql: invalid configuration: REDIS_URL /);
        expect(status, output).toBe(2);
      },
      40_000,
    );
  }
});

describe('any other failure to start: exit code 1, one log line saying why', () => {
  it('the port in use', async () => {
    const port = await portInUse();
    const { status, output } = await start({ PORT: String(port) });
    expect(status, output).toBe(1);
    const line = onlyLogLine(output);
    expect(line).toMatchObject({ level: 60, msg: 'start failed', err: { name: 'Error', code: 'EADDRINUSE' } });
    expect(line.err['message']).toContain(`127.0.0.1:${port}`);
    expect(output).not.toContain(PRIVATE_KEY);
  }, 40_000);

  it('the metrics port in use, once the GraphQL listener is up', async () => {
    const port = await portInUse();
    const { status, output } = await start({ METRICS: 'port', METRICS_PORT: String(port) });
    expect(status, output).toBe(1);
    const lines = output.trim().split('\n');
    // The GraphQL listener said it serves; then the start failed, which is the last line.
    expect(lines[0]).toContain('serving MongoDB Atlas');
    const last = onlyLogLine(lines.at(-1)!);
    expect(last).toMatchObject({ msg: 'start failed', err: { code: 'EADDRINUSE' } });
    expect(output).not.toContain(PRIVATE_KEY);
  }, 40_000);
});
