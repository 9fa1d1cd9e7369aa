import { z } from 'zod';
import type { WatchEvent } from '../backups/watch/poller.js';

// A live-status event as it travels between replicas (pub/sub) and waits for late joiners (the last
// one in Redis): JSON. A state's value is the record itself (records are plain data: strings,
// numbers, arrays); a failure travels as the typed error its watchers would read — code, message,
// extensions — never as the Atlas error behind it, so every replica delivers the same error.

/** A failure as the watchers read it: the typed error's code, message and extensions. */
export interface SharedWatchError {
  code: string;
  message: string;
  extensions: Record<string, unknown>;
}

/** Turns a poll's failure into what travels, and back into what a resolver throws (given by the GraphQL layer). */
export interface WatchErrorCodec {
  encode(error: unknown): SharedWatchError;
  decode(shared: SharedWatchError): unknown;
}

const errorSchema = z.object({ code: z.string(), message: z.string(), extensions: z.record(z.string(), z.unknown()) });

const wireSchema = z.object({
  /** The replica that polled it: a replica ignores its own events. */
  from: z.string(),
  event: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('state'), value: z.unknown(), terminal: z.boolean() }),
    z.object({ kind: z.literal('error'), error: errorSchema }),
    z.object({ kind: z.literal('gone'), error: errorSchema }),
  ]),
});

/** `event` polled by replica `from`, as text. */
export function encodeEvent(from: string, event: WatchEvent<unknown>, codec: WatchErrorCodec): string {
  const wire = event.kind === 'state' ? event : { kind: event.kind, error: codec.encode(event.error) };
  return JSON.stringify({ from, event: wire });
}

/** The event in `text` and who polled it; undefined when it is not one (another version's, or damaged). */
export function decodeEvent<T>(
  text: string,
  codec: WatchErrorCodec,
): { from: string; event: WatchEvent<T> } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = wireSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { from, event } = parsed.data;
  if (event.kind === 'state')
    return { from, event: { kind: 'state', value: event.value as T, terminal: event.terminal } };
  return { from, event: { kind: event.kind, error: codec.decode(event.error) } };
}
