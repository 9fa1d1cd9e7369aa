import type { Logger } from 'pino';
import type { AtlasClient } from './client.js';
import { AtlasCircuitOpenError } from './errors.js';
import { systemStatus } from './system-status.js';

/** Options of the background probe of one client's circuit. */
export interface BreakerProbeOptions {
  /** The breaker's cooldown: how long an open circuit fails fast before it lets one call through. */
  cooldownMs: number;
  /** Waited beyond the cooldown, so that the circuit is ready to half-open when the probe comes. @default 25 */
  slackMs?: number;
  logger?: Logger;
}

/** A running probe. */
export interface BreakerProbe {
  /** Unsubscribes, clears the timer and aborts a probe in flight. */
  stop(): void;
}

/**
 * Lets the Atlas circuit recover without traffic. Each time it opens, one `getSystemStatus` call
 * (`GET /api/atlas/v2`: authenticated, no project id) goes out once the cooldown has passed, unless
 * a real call has half-opened the circuit by then. The circuit treats the probe as any call: a
 * success closes it; a 5xx, timeout or network failure opens it again, which schedules the next
 * probe one cooldown later. So: no probe while the circuit is closed, at most one probe call (with
 * the client's retries) per cooldown while it is open. The timer is unref'd.
 */
export function startBreakerProbe(client: AtlasClient, options: BreakerProbeOptions): BreakerProbe {
  const slackMs = options.slackMs ?? 25;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: AbortController | undefined;
  let stopped = false;

  const schedule = (delayMs: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(probe, delayMs).unref();
  };

  function probe(): void {
    timer = undefined;
    // Half-open or closed: a real call got there first (if it fails, the reopening reschedules).
    if (client.breakerState !== 'open' || inFlight) return;
    const controller = new AbortController();
    inFlight = controller;
    options.logger?.debug('probing Atlas: getSystemStatus');
    systemStatus(client, { signal: controller.signal })
      .then(
        () => options.logger?.info('Atlas probe succeeded'),
        (error: unknown) => {
          // The circuit's clock (Date.now) said "not yet" where the timer's said "now": once more, shortly.
          if (error instanceof AtlasCircuitOpenError && timer === undefined) schedule(slackMs);
        },
      )
      .finally(() => {
        if (inFlight === controller) inFlight = undefined;
      });
  }

  const unsubscribe = client.onCircuitOpen(() => schedule(options.cooldownMs + slackMs));
  return {
    stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
      timer = undefined;
      inFlight?.abort();
    },
  };
}
