/**
 * The name, code and message of `error`, and nothing else, for a log line's `err`. Logging the error
 * itself would serialize every property it carries: ioredis's ReplyError carries the failed command
 * with its arguments (keys, an idempotency key's stored mutation outcome), an HTTP error its request.
 */
export function errorFields(error: unknown): { name?: string; code?: string; message: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, ...(typeof code === 'string' ? { code } : {}), message: error.message };
}
