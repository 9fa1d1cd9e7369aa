import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Traces (issue #15): without OTEL_EXPORTER_OTLP_ENDPOINT the process loads no OpenTelemetry SDK
// module at all (only the API, whose calls then never run); with it, the SDK is loaded at start-up.
// Each start runs under the module hook of production-modules.test.ts (test/fixtures/module-log.mjs).

const root = new URL('../../', import.meta.url).pathname;
const logs = mkdtempSync(join(tmpdir(), 'tracing-modules-'));
afterAll(() => rmSync(logs, { recursive: true, force: true }));

/** The SDK's packages: the provider, the exporter, the context manager, the propagator's, resources. */
const SDK =
  /\/node_modules\/@opentelemetry\/(sdk-trace-base|exporter-trace-otlp-http|context-async-hooks|core|resources)\//;

/** Starts `src/main.ts` in demo mode with `env`, waits until it serves, stops it; the modules it loaded. */
async function loadedModules(name: string, env: Record<string, string>): Promise<string[]> {
  const file = join(logs, `${name}.txt`);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(MONGODB_ATLAS_|VITEST|ATLAS_|OTEL_)/.test(k)),
  );
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './test/fixtures/module-log.mjs', 'src/main.ts'],
    { cwd: root, env: { ...inherited, PORT: '0', LOG_LEVEL: 'info', MODULE_LOG: file, ...env } },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 15_000;
  while (!/"mode":"demo"/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${name} did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGTERM');
  await exited;
  return readFileSync(file, 'utf8').split('\n');
}

describe('OpenTelemetry modules a start loads', () => {
  it('none of the SDK without OTEL_EXPORTER_OTLP_ENDPOINT; the SDK with it', async () => {
    const off = await loadedModules('off', {});
    expect(off.some((url) => url.includes('/src/atlas/call-tracing.ts'))).toBe(true);
    expect(off.filter((url) => SDK.test(url))).toEqual([]);
    // Nothing listens on port 9: the exports fail, quietly for the requests.
    const on = await loadedModules('on', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    const sdk = new Set(on.map((url) => SDK.exec(url)?.[1]).filter(Boolean));
    expect([...sdk].sort()).toEqual([
      'context-async-hooks',
      'core',
      'exporter-trace-otlp-http',
      'resources',
      'sdk-trace-base',
    ]);
  }, 40_000);
});
