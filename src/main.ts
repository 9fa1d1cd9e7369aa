import { startApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { errorFields } from './support/error-fields.js';
import { createLogger } from './support/logger.js';

// Process entry: config → app → listen → graceful shutdown. Nothing imports this file.
// Exit codes: 0 after a clean shutdown (SIGTERM/SIGINT), 2 on a configuration error, 1 on any other
// failure to start (the port in use, …) or to shut down — a supervisor restarting on failure sees it.

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
let started = false;
/** A start that failed otherwise than by its configuration: one line (scrubbed like every line), exit code 1. */
function exitOnStartFailure(error: unknown): never {
  if (error instanceof ConfigError) exitOnConfigError(error);
  logger.fatal({ err: errorFields(error) }, 'start failed');
  process.exit(1);
}
// Once serving, an error no code awaited (a bug in one request's callback, a write to a closed pipe) is
// logged and the process goes on serving the others; before that, it fails the start.
process.on('uncaughtException', (error) => {
  if (!started) exitOnStartFailure(error);
  logger.error({ err: errorFields(error) }, 'uncaught exception');
});
process.on('unhandledRejection', (reason) => logger.error({ reason: String(reason) }, 'unhandled rejection'));

// A trusted document that does not validate against the schema is found here, at start (a ConfigError).
const app = await startApp(config, logger).catch(exitOnStartFailure);
started = true;
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
