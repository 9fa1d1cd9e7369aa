import { existsSync, readFileSync, renameSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { summarizeAllocations, type AllocationSummary } from './heap-profile.js';

// Per-window CPU profiles of the benchmark's server (`--profile-dir`): bench/cpu-profiler.mjs, loaded
// into the server, starts and stops V8's sampling profiler on SIGUSR2; here the harness sends the
// signals around a window, renames the profile after the window and summarizes its self time.

/** The NODE_OPTIONS flag and env that load the profiler into a server. */
export function profilerEnv(dir: string): { nodeOption: string; env: Record<string, string> } {
  const preload = fileURLToPath(new URL('./cpu-profiler.mjs', import.meta.url));
  return { nodeOption: `--import ${preload}`, env: { BENCH_CPU_PROFILE_DIR: dir } };
}

/** Where the samples of a window went, by function and by package, in % of the busy (non-idle) samples. */
export interface ProfileSummary {
  file: string;
  busyMs: number;
  idleMs: number;
  /** Self time, top functions: `file:function:line`. */
  top: { fn: string; percent: number }[];
  /** Self time by npm package (`ours`: dist/ or src/; `(garbage collector)`, `(program)`: V8's own). */
  byPackage: { name: string; percent: number }[];
  /** Garbage collections and event-loop delay during the window (bench/cpu-profiler.mjs). */
  loop?: unknown;
  /** Where the window's allocations were made (bench/heap-profile.ts). */
  allocations?: AllocationSummary;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

const percentOf = (entries: Map<string, number>, busy: number, n: number) =>
  [...entries]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, percent: Number(((100 * us) / busy).toFixed(1)) }));

/** Where a script lives: `ours` or the npm package (`@scope/name`), `node:` modules, or V8's own entries. */
function packageOf(url: string, functionName: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (/\/(dist|src)\//.test(url)) return 'ours';
  if (url.startsWith('node:')) return 'node (built-in JS)';
  return url ? 'other' : `(${functionName.replace(/[()]/g, '') || 'native'})`;
}

/** Self time by function and by package over a .cpuprofile file (each sample weighted by its time delta). */
function summarizeProfile(file: string, topN = 10): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let [idle, busy] = [0, 0];
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)!;
    const us = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    if (frame.functionName === '(idle)') return void (idle += us);
    busy += us;
    const where = frame.url.replace(/^file:\/\/.*?\/(node_modules|dist|src)\//, '$1/').replace(/^.*node_modules\//, '');
    const fn = `${where || '(V8)'}:${frame.functionName || '(anonymous)'}${frame.lineNumber >= 0 ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const pkg = packageOf(frame.url, frame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  });
  return {
    file,
    busyMs: Math.round(busy / 1000),
    idleMs: Math.round(idle / 1000),
    top: percentOf(byFunction, busy, topN).map(({ name, percent }) => ({ fn: name, percent })),
    byPackage: percentOf(byPackage, busy, 12),
  };
}

/**
 * Signals a server that loaded the profiler (writing into `dir`): `start()` a window, `stop(name,
 * requests)` it and get its summary (allocations per request of the `requests` sent in the window),
 * its files renamed into `into` after the window's name.
 */
export function windowProfiler(
  pid: number,
  dir: string,
  into = dir,
): { start(): void; stop(name: string, requests: number): Promise<ProfileSummary> } {
  let written = 0;
  return {
    start: () => void process.kill(pid, 'SIGUSR2'),
    async stop(name, requests) {
      process.kill(pid, 'SIGUSR2');
      written += 1;
      const [profile, heap, loop] = ['cpuprofile', 'heapprofile', 'loop.json'].map((ext) => `${dir}/${written}.${ext}`);
      for (let waited = 0; !existsSync(profile!) && waited < 30_000; waited += 100) await sleep(100);
      const file = `${into}/${name}.cpuprofile`;
      renameSync(profile!, file);
      const heapFile = `${into}/${name}.heapprofile`;
      if (existsSync(heap!)) renameSync(heap!, heapFile);
      return {
        ...summarizeProfile(file),
        loop: JSON.parse(readFileSync(loop!, 'utf8')) as unknown,
        ...(existsSync(heapFile) ? { allocations: summarizeAllocations(heapFile, requests) } : {}),
      };
    },
  };
}
