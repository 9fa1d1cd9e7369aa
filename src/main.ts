import { startApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { createLogger } from './support/logger.js';

// Process entry: config → app → listen → graceful shutdown. Nothing imports this file.

/** A configuration problem ends the process with its message and exit code 2; anything else is thrown on. */
function exitOnConfigError(error: unknown): never {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`atlas-backups-graphql: ${error.message}\n`);
  process.exit(2);
}

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  exitOnConfigError(error);
}

// A reader that went away (a closed pipe) must not turn every log line into an uncaught EPIPE, whose
// own log line fails again: lines are lost, the process goes on (and shuts down when told to).
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
const logger = createLogger(config.logLevel);
process.on('uncaughtException', (error) =>
  logger.error({ err: { name: error.name, message: error.message } }, 'uncaught exception'),
);
process.on('unhandledRejection', (reason) => logger.error({ reason: String(reason) }, 'unhandled rejection'));

// A trusted document that does not validate against the schema is found here, at start.
const app = await startApp(config, logger).catch(exitOnConfigError);
if (config.mode === 'demo') {
  process.stdout.write(
    `\nDemo mode — answers come from the embedded Atlas simulator, not from MongoDB Atlas.\n` +
      `GraphiQL: ${app.graphqlUrl}\n\nTry this query (pre-filled in GraphiQL):\n\n${app.example}\n`,
  );
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ error: String(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
