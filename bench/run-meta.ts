import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { machine } from './cpu-time.js';
import { START_NODE_OPTIONS } from './processes.js';

// What a results file says about its run, besides the numbers: the machine and its load, the commands
// of the three servers, and the commit of the server's build when it sits in a git checkout.

/** The commit of the checkout the server's build sits in, and whether its src/ had changes not committed. */
function commitOf(serverEntry: string): { commit: string; srcChanged: boolean } | undefined {
  const dir = dirname(resolve(new URL('../', import.meta.url).pathname, serverEntry));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: 'pipe' }).trim();
  try {
    return { commit: git('rev-parse', 'HEAD'), srcChanged: git('status', '--porcelain', '--', '../src').length > 0 };
  } catch {
    return undefined; // not a git checkout (e.g. a `git archive` export): say so with `note`
  }
}

/** The results' meta, from the machine as it was before the run (`machine()` then) and the options. */
export function runMeta(
  before: ReturnType<typeof machine>,
  server: { entry: string; nodeOptions: string },
  options: object,
): Record<string, unknown> {
  return {
    date: new Date().toISOString(),
    node: process.version,
    machine: before,
    loadAverageAfter: machine().loadAverage,
    git: commitOf(server.entry),
    cpuClock:
      'the target process, every thread: /proc/<pid>/task/*/schedstat (ns on CPU), read right before and after each window',
    upstreamAuth: 'HTTP Digest with nonce reuse (server, naive Yoga server and ceiling alike)',
    serverEnv:
      'NODE_ENV=production, LOG_LEVEL=warn, ATLAS_SNAPSHOT_API=serverless, ATLAS_RATE_LIMIT_PER_MINUTE=0, CACHE_TTL_*=0 (no cross-request cache)',
    serverCommand: `node ${server.nodeOptions} ${server.entry}`,
    naiveCommand: `NODE_OPTIONS='${START_NODE_OPTIONS}' node --import tsx bench/naive-yoga.ts`,
    ceilingCommand: 'node --import tsx bench/ceiling.ts',
    ...options,
  };
}
