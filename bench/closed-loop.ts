import autocannon, { type Options as AutocannonOptions, type Result } from 'autocannon';
import type { Scenario } from './scenarios.js';

// The closed-loop driver of the HTTP scenarios (autocannon as a library: N connections, each sending
// its next request when the last is answered), and the service's GraphQL error counts around a run.

/** Drives `url` with the scenario's requests on `connections` connections, for `seconds` or `amount` requests. */
export function drive(
  url: string,
  scenario: Scenario,
  connections: number,
  seconds: number,
  amount?: number,
): Promise<Result> {
  const first = scenario.request();
  const config: AutocannonOptions = {
    url: url + first.path,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    method: first.method,
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    requests: [{ setupRequest: (req) => ({ ...req, ...scenario.request() }) }],
  };
  return new Promise((resolve, reject) => {
    autocannon(config, (error: unknown, result) =>
      error
        ? reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }))
        : resolve(result),
    );
  });
}

/** `graphql_errors_total` on the server's /metrics, by code. */
export async function graphqlErrors(server: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${server}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^graphql_errors_total\{code="([^"]+)"\} (\d+)/.exec(line);
    if (match) counts[match[1]!] = Number(match[2]);
  }
  return counts;
}

/** What grew from `before` to `after`, by key. */
export function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [code, n] of Object.entries(after)) if (n > (before[code] ?? 0)) result[code] = n - (before[code] ?? 0);
  return result;
}
