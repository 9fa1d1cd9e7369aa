import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The node flags `npm start` gives the server (package.json's start script, `node <flags> dist/main.js`),
 * so that the benchmark and the heap test run the server exactly as `npm start` does.
 */
export const START_NODE_OPTIONS = ((): string => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const flags = /^node (.*) dist\/main\.js$/.exec(pkg.scripts.start ?? '')?.[1];
  if (flags === undefined) throw new Error('package.json: `start` is not `node <flags> dist/main.js`');
  return flags;
})();

/** A child process of the benchmark, with the URL it announced. */
export interface Child {
  process: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

const root = new URL('../', import.meta.url).pathname;

/** Starts `node <script>` (`.js`) or `node --import tsx <script>` (`.ts`) and waits for the first http URL it prints. */
export async function startChild(
  script: string,
  env: Record<string, string>,
  urlPattern = /(http:\/\/127\.0\.0\.1:\d+)/,
): Promise<Child> {
  const child = spawn(process.execPath, script.endsWith('.js') ? [script] : ['--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = urlPattern.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)));
  }).finally(() => {
    // Started (or not): what it prints from now on is the caller's to read, not kept here (a long run).
    child.stdout.removeAllListeners('data');
    child.stderr.removeAllListeners('data');
  });
  // Keep draining so a chatty child never blocks on a full pipe.
  child.stdout.resume();
  child.stderr.resume();
  return {
    process: child,
    url,
    stop: () =>
      new Promise((resolve) => {
        // Already gone (an exit code, or a signal such as the SIGABRT of a heap out of memory).
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

/** A port free right now (the GraphQL server is told to listen on it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resident set size of a process, in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux nearly always). */
const TICKS_PER_SECOND = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time a process has used so far, user and system, in milliseconds (Linux /proc). */
export function cpuTimeMsOf(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
