import { startAtlasSimulator } from './server.js';
import { DEMO } from './seed.js';

// Runs the simulator on its own (`npm run simulator`), e.g. to point a configured server at it.
const port = Number(process.env.SIM_PORT ?? 8080);
const publicKey = process.env.SIM_PUBLIC_KEY;
const privateKey = process.env.SIM_PRIVATE_KEY;
const simulator = await startAtlasSimulator({
  port,
  host: process.env.SIM_HOST ?? '127.0.0.1',
  ...(publicKey && privateKey ? { apiKeys: [{ publicKey, privateKey }] } : {}),
  controlApi: process.env.SIM_CONTROL_API === 'true',
});
console.log(`Atlas simulator listening on ${simulator.url} (${publicKey ? 'digest auth required' : 'no auth'})`);
console.log(
  `try: curl -H 'Accept: application/vnd.atlas.2023-01-01+json' ${simulator.url}/api/atlas/v2/groups/${DEMO.groupId}/serverless/${DEMO.clusterName}/backup/snapshots/${DEMO.snapshotId}`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void simulator.close().then(() => process.exit(0)));
}
