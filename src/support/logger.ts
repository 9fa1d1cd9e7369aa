import { pino, type Logger } from 'pino';
import { Secret } from './secret.js';

/** Where log lines go: stdout in the process, a capture in tests. */
export interface LogDestination {
  write(line: string): void;
}

/**
 * The process logger: JSON lines, level-gated, and every line scrubbed of the secrets this process
 * holds before it is written — a last line of defence should a bug put one in a message.
 */
export function createLogger(level: string, destination: LogDestination = process.stdout): Logger {
  return pino(
    { level, base: { service: 'atlas-backups-graphql' } },
    { write: (line: string) => destination.write(Secret.scrub(line)) },
  );
}
