import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Issue #11.1: a server started with Atlas credentials loads no simulator and no demo module; only
// demo mode reaches them (through app.ts's dynamic import). Each start runs under a module hook
// (test/fixtures/module-log.mjs) that writes down the URL of every module the process loads.

const root = new URL('../../', import.meta.url).pathname;
const logs = mkdtempSync(join(tmpdir(), 'module-log-'));
afterAll(() => rmSync(logs, { recursive: true, force: true }));

/** The environment without anything that would pick a mode for us. */
function baseEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('MONGODB_ATLAS_') && !k.startsWith('VITEST') && !k.startsWith('ATLAS_'),
    ),
  );
}

/** Starts `src/main.ts`, waits for its start-up log line, stops it and returns the src/ modules it loaded. */
async function loadedSourceModules(name: string, env: Record<string, string>, ready: RegExp): Promise<string[]> {
  const file = join(logs, `${name}.txt`);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './test/fixtures/module-log.mjs', 'src/main.ts'],
    {
      cwd: root,
      env: { ...baseEnv(), PORT: '0', LOG_LEVEL: 'info', MODULE_LOG: file, ...env },
    },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 15_000;
  while (!ready.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${name} did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGTERM');
  await exited;
  const src = `file://${root}src/`;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith(src))
    .map((url) => url.slice(src.length));
}

const demoOrSimulator = (path: string) => path.startsWith('simulator/') || path.startsWith('demo/');

describe('which modules a start loads', () => {
  it('with Atlas credentials: the service, and nothing of the simulator or the demo', async () => {
    const loaded = await loadedSourceModules(
      'atlas',
      {
        MONGODB_ATLAS_CLIENT_ID: 'mdb_sa_id_module_test',
        MONGODB_ATLAS_CLIENT_SECRET: 'mdb_sa_sk_module_test',
        MONGODB_ATLAS_BASE_URL: 'http://127.0.0.1:9',
        ALLOW_UNAUTHENTICATED: 'true',
      },
      /"mode":"atlas"/,
    );
    expect(loaded).toContain('app.ts');
    expect(loaded).toContain('atlas/client.ts');
    expect(loaded.filter(demoOrSimulator)).toEqual([]);
  }, 30_000);

  it('without credentials (demo mode): the demo module and the simulator too', async () => {
    const loaded = await loadedSourceModules('demo', {}, /"mode":"demo"/);
    expect(loaded).toContain('demo/demo.ts');
    expect(loaded).toContain('simulator/server.ts');
    expect(loaded).toContain('simulator/seed.ts');
  }, 30_000);
});
