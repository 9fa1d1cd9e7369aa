/**
 * Parses a `Retry-After` header: delta-seconds (what the spec documents) or an HTTP-date (what
 * RFC 9110 also allows). Returns whole seconds from `now`, never negative; undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  if (Number.isNaN(date) || !/[a-z]/i.test(value)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
