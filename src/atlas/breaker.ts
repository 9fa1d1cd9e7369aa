import { circuitBreaker, CircuitState, ConsecutiveBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import type { Logger } from 'pino';
import { AtlasNetworkError, AtlasResponseError, AtlasTimeoutError } from './errors.js';

/** Whether calls reach Atlas (`closed`), fail fast (`open`), or one call probes (`half-open`). */
export type BreakerState = 'closed' | 'half-open' | 'open';

/** Consecutive failed calls that open the circuit, and how long it stays open. */
export interface BreakerOptions {
  failures: number;
  cooldownMs: number;
}

/** Failures that say Atlas (or the way to it) is unwell; client errors and cancellations do not count. */
function isBreakerFailure(error: Error): boolean {
  return (
    (error instanceof AtlasResponseError && error.status >= 500) ||
    error instanceof AtlasNetworkError ||
    error instanceof AtlasTimeoutError
  );
}

/** The circuit breaker of one Atlas origin, logging each change of state. */
export function createBreaker(options: BreakerOptions, origin: string, logger?: Logger): CircuitBreakerPolicy {
  const breaker = circuitBreaker(handleWhen(isBreakerFailure), {
    halfOpenAfter: options.cooldownMs,
    breaker: new ConsecutiveBreaker(options.failures),
  });
  breaker.onBreak(() =>
    logger?.error({ origin, cooldownMs: options.cooldownMs }, 'Atlas circuit opened: failing fast'),
  );
  breaker.onHalfOpen(() => logger?.warn({ origin }, 'Atlas circuit half-open: probing'));
  breaker.onReset(() => logger?.info({ origin }, 'Atlas circuit closed'));
  return breaker;
}

/** The state of a breaker in our words. */
export function breakerStateOf(breaker: CircuitBreakerPolicy): BreakerState {
  const state = breaker.state;
  if (state === CircuitState.Closed) return 'closed';
  return state === CircuitState.HalfOpen ? 'half-open' : 'open';
}
