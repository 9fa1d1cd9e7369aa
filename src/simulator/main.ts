import { loadSimulatorEnvironment } from './environment.js';
import { startAtlasSimulator } from './server.js';
import { DEMO } from './seed.js';

// Runs the simulator on its own (`npm run simulator`), e.g. to point a configured server at it.
let env: ReturnType<typeof loadSimulatorEnvironment>;
try {
  env = loadSimulatorEnvironment(process.env);
} catch (error) {
  process.stderr.write(`atlas-simulator: ${(error as Error).message}\n`);
  process.exit(2);
}
const key =
  env.SIM_PUBLIC_KEY && env.SIM_PRIVATE_KEY
    ? { publicKey: env.SIM_PUBLIC_KEY, privateKey: env.SIM_PRIVATE_KEY }
    : undefined;
const simulator = await startAtlasSimulator({
  port: env.SIM_PORT,
  host: env.SIM_HOST,
  ...(key ? { apiKeys: [key] } : {}),
  controlApi: env.SIM_CONTROL_API,
  serverlessSunset: env.SIM_SERVERLESS_SUNSET,
  benchData: env.SIM_BENCH_DATA,
});
console.log(`Atlas simulator listening on ${simulator.url} (${key ? 'digest auth required' : 'no auth'})`);
console.log(
  `try: curl -H 'Accept: application/vnd.atlas.2023-01-01+json' ${simulator.url}/api/atlas/v2/groups/${DEMO.groupId}/serverless/${DEMO.clusterName}/backup/snapshots/${DEMO.snapshotId}`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void simulator.close().then(() => process.exit(0)));
}
