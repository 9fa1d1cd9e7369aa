import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { Command } from 'ioredis';
import type { RedisClient } from './redis-topology.js';

// Spans for the Redis round trips of a request. Not @opentelemetry/instrumentation-ioredis: it patches
// ioredis through the SDK's require hooks, which an ES module process only gets with a loader flag
// (`--import`) set before ioredis is loaded. Every command our adapters send — single commands, Lua
// scripts (EVALSHA), pipelines, command by command — goes through one method of the one shared client,
// so wrapping that method on that instance covers them all, with nothing to set up at launch.

/**
 * Makes a span (`redis GET`, kind CLIENT) for every command `client` sends while a span is active —
 * a request's or a loader batch's —, ending when Redis answers, fails or times out. Commands outside
 * a request (lease renewals, pub/sub) make none: they would each start a trace of their own. Keys and
 * arguments are never recorded (they may carry a caller's identity).
 */
export function traceRedisCommands(client: RedisClient, tracer: Tracer): void {
  // A Cluster's sendCommand takes a third argument (the node a pipeline is pinned to): passed on as is.
  const send = client.sendCommand.bind(client) as (command: Command, ...rest: unknown[]) => unknown;
  // A Cluster has no one address: its spans name none.
  const { host, port } = 'host' in client.options ? client.options : {};
  client.sendCommand = (command: Command, ...rest: unknown[]) => {
    const active = context.active();
    if (!trace.getSpan(active)) return send(command, ...rest);
    const operation = command.name.toUpperCase();
    const span = tracer.startSpan(
      `redis ${operation}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'redis',
          'db.operation.name': operation,
          ...(host ? { 'server.address': host } : {}),
          ...(port ? { 'server.port': port } : {}),
        },
      },
      active,
    );
    const sent = send(command, ...rest);
    command.promise.then(
      () => span.end(),
      (error: unknown) => {
        span.setAttribute('error.type', error instanceof Error ? error.name : 'unknown');
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      },
    );
    return sent;
  };
}
