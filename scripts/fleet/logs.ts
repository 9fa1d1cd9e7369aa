import type { ChildProcess } from 'node:child_process';

/** pino's level number of `warn`. */
const WARN = 40;

/**
 * Prints a replica's output, each line prefixed with `name`: every line when `all`, else only its
 * warnings and errors (JSON lines of level ≥ warn) and whatever is not a JSON log line (a crash).
 */
export function forwardLogs(child: ChildProcess, name: string, all: boolean): void {
  let partial = '';
  const onData = (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line && (all || !quiet(line))) process.stdout.write(`[${name}] ${line}\n`);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
}

/** Whether a line is a JSON log line below warn. */
function quiet(line: string): boolean {
  try {
    const { level } = JSON.parse(line) as { level?: unknown };
    return typeof level === 'number' && level < WARN;
  } catch {
    return false;
  }
}
