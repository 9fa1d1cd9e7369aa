import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEMO } from '../src/simulator/seed.js';
import { FleetProcesses, type StartedFleet } from './fleet/processes.js';

// `npm run fleet`: a fleet on this machine (docs/fleet.md) — Redis (when redis-server is installed),
// the Atlas simulator, N replicas of the compiled service sharing them, and Hive Gateway in front,
// round-robin over the replicas. Prints every URL, runs until Ctrl-C (SIGINT) or SIGTERM, then
// stops everything it started.

const USAGE = `usage: npm run fleet -- [--port 4000] [--replicas 3] [--no-redis] [--from-source] [--logs]
  --port         the gateway's port (0: a free one); replicas, simulator and Redis take free ports
  --replicas     how many service processes
  --no-redis     run the replicas without REDIS_URL even when redis-server is installed
  --from-source  run the replicas from src/ through tsx instead of building dist/ (what the tests do)
  --logs         print every replica log line (default: warnings and errors)`;

const options = z.object({
  port: z.coerce.number().int().min(0).max(65_535),
  replicas: z.coerce.number().int().min(1).max(16),
  'no-redis': z.boolean(),
  'from-source': z.boolean(),
  logs: z.boolean(),
});

let settings: z.output<typeof options>;
try {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4000' },
      replicas: { type: 'string', default: '3' },
      'no-redis': { type: 'boolean', default: false },
      'from-source': { type: 'boolean', default: false },
      logs: { type: 'boolean', default: false },
    },
  });
  settings = options.parse(values);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
  process.exit(2);
}

const root = new URL('../', import.meta.url).pathname;
if (!settings['from-source']) {
  try {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    process.stderr.write('fleet: the build failed (above); --from-source runs the replicas from src/ unbuilt\n');
    process.exit(1);
  }
}

const fleet = new FleetProcesses();
// Whatever happens to this process, no child outlives it.
process.on('exit', () => fleet.killNow());

/** The summary: every URL and process id, the caller key, a query to try. */
function describe({ gateway, replicas, simulator, redis, redisMissing }: StartedFleet, callerKey: string): string {
  const query = `{ serverlessSnapshot(groupId: "${DEMO.groupId}", clusterName: "${DEMO.clusterName}", snapshotId: "${DEMO.snapshotId}") { id status createdAt } }`;
  return [
    `Fleet running (Ctrl-C stops it all):`,
    `  gateway    ${gateway.url}  Hive Gateway, round-robin over ${replicas.length} replicas`,
    ...replicas.map((child, i) => `  replica ${i + 1}  ${child.url}  pid ${child.process.pid}`),
    `  simulator  ${simulator.url}  pid ${simulator.process.pid}  the Atlas simulator (its calls: ${simulator.url}/__simulator/stats)`,
    redis
      ? `  redis      ${redis.url}  pid ${redis.pid}  REDIS_URL of every replica`
      : `  redis      not started (${redisMissing}): the replicas run without REDIS_URL and share nothing`,
    `Callers: x-api-key: ${callerKey}  (every scope; GraphiQL: put it in the Headers tab)`,
    `Try:`,
    `  curl -s ${gateway.url} -H 'content-type: application/json' -H 'x-api-key: ${callerKey}' \\`,
    `    --data '${JSON.stringify({ query })}'`,
    '',
  ].join('\n');
}

// A key pair the simulator requires (HTTP Digest) and the replicas hold, as demo mode makes one; and
// one caller key with every scope, which the gateway passes on to the replicas.
const callerKey = `fleet-${randomBytes(18).toString('base64url')}`;
const startup = fleet
  .start({
    port: settings.port,
    replicas: settings.replicas,
    redis: !settings['no-redis'],
    fromSource: settings['from-source'],
    logs: settings.logs,
    atlasKey: { publicKey: randomBytes(4).toString('hex'), privateKey: randomUUID() },
    callerKey,
  })
  .then(
    (started) => {
      if (!fleet.stopping) process.stdout.write(describe(started, callerKey));
      return started;
    },
    async (error: Error) => {
      // Interrupted while starting (a terminal's Ctrl-C stops the children too): a normal stop.
      const interrupted = fleet.stopping;
      if (!interrupted) process.stderr.write(`fleet: ${error.message}\n`);
      await fleet.stop();
      if (interrupted) process.stdout.write('fleet stopped\n');
      process.exit(interrupted ? 0 : 1);
    },
  );

// Ctrl-C (a terminal sends it to the children too: they stop on their own as well), also while
// starting: the fleet stops once started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A second Ctrl-C: no more waiting (the exit handler kills what is left).
    if (fleet.stopping) process.exit(1);
    fleet.stopping = true;
    process.stdout.write('stopping the fleet…\n');
    void startup.then(async ({ gateway }) => {
      await fleet.stop();
      process.stdout.write(`answered per replica: ${gateway.answered.map((n, i) => `${i + 1}: ${n}`).join(', ')}\n`);
      process.stdout.write('fleet stopped\n');
      process.exit(0);
    });
  });
}
