import { randomBytes, randomUUID } from 'node:crypto';
import type { AtlasCredentials } from '../config/credentials.js';
import type { Config } from '../config/config.js';
import { exampleQuery } from '../graphql/example-query.js';
import { startAtlasSimulator } from '../simulator/server.js';
import { DEMO } from '../simulator/seed.js';
import { Secret } from '../support/secret.js';

// Demo mode's wiring, in the one module that may load the simulator: app.ts reaches it only by a
// dynamic import when no Atlas credentials are set, so a configured server never loads the simulator.

/** A running demo: the simulator to talk to instead of Atlas, and how to reach it. */
export interface Demo {
  /** The embedded simulator's origin, used in place of MONGODB_ATLAS_BASE_URL. */
  readonly baseUrl: URL;
  /** A random API key pair made for this process; the simulator checks it with real HTTP Digest. */
  readonly credentials: Extract<AtlasCredentials, { kind: 'api-key' }>;
  /** The example operation with ids the simulator holds. */
  readonly exampleQuery: string;
  close(): Promise<void>;
}

/** Starts the embedded Atlas simulator on a free loopback port with the demo-mode settings. */
export async function startDemo(settings: Config['demo']): Promise<Demo> {
  const key = { publicKey: randomBytes(4).toString('hex'), privateKey: randomUUID() };
  const simulator = await startAtlasSimulator({
    host: '127.0.0.1',
    port: 0,
    apiKeys: [key],
    serverlessSunset: settings.serverlessSunset,
  });
  return {
    baseUrl: new URL(simulator.url),
    credentials: { kind: 'api-key', publicKey: key.publicKey, privateKey: new Secret(key.privateKey) },
    exampleQuery: exampleQuery({ groupId: DEMO.groupId, clusterName: DEMO.clusterName, snapshotId: DEMO.snapshotId }),
    close: () => simulator.close(),
  };
}
