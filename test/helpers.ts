import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { startApp, type RunningApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startAtlasSimulator, type AtlasSimulator } from '../src/simulator/server.js';

/** The API key pair the test simulator accepts. */
export const TEST_KEY = { publicKey: 'testpubk', privateKey: 'test-private-0d7c6a51-4a0c-4c8e-9c2b-canary' };

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger that keeps every line it writes, parsed. */
export function captureLogger(): { logger: Logger; lines: LogLine[]; raw: string[] } {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = chunk.toString();
      raw.push(text);
      lines.push(JSON.parse(text) as LogLine);
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines, raw };
}

/** A GraphQL response body. */
export interface GraphQLResponse<Data = Record<string, unknown>> {
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** The real stack over loopback: the Atlas simulator (digest auth) and the GraphQL service configured against it. */
export interface Stack {
  simulator: AtlasSimulator;
  app: RunningApp;
  logs: LogLine[];
  rawLogs: string[];
  /** POSTs one operation to /graphql over HTTP and returns the parsed body. */
  query<Data = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<Data>>;
  close(): Promise<void>;
}

/** Starts the simulator and the service with extra environment variables (e.g. `ATLAS_TIMEOUT_MS`). */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const simulator = await startAtlasSimulator({ apiKeys: [TEST_KEY] });
  const { logger, lines, raw } = captureLogger();
  const config = loadConfig({
    MONGODB_ATLAS_BASE_URL: simulator.url,
    MONGODB_ATLAS_PUBLIC_API_KEY: TEST_KEY.publicKey,
    MONGODB_ATLAS_PRIVATE_API_KEY: TEST_KEY.privateKey,
    PORT: '0',
    ...env,
  });
  const app = await startApp(config, logger);
  return {
    simulator,
    app,
    logs: lines,
    rawLogs: raw,
    async query(query, variables) {
      const response = await fetch(app.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<never>;
    },
    async close() {
      await app.close(1000);
      await simulator.close();
    },
  };
}

/** A `serverlessSnapshot` selection with the given arguments and fields. */
export function snapshotField(
  alias: string,
  key: { groupId: string; clusterName: string; snapshotId: string },
  fields = 'id status',
): string {
  return `${alias}: serverlessSnapshot(groupId: ${JSON.stringify(key.groupId)}, clusterName: ${JSON.stringify(key.clusterName)}, snapshotId: ${JSON.stringify(key.snapshotId)}) { ${fields} }`;
}
