import { z } from 'zod';
import { SimApiError } from './api-error.js';

/**
 * Write bodies checked with zod and refused as Atlas refuses them: the first problem as a 400 with
 * a code from Atlas's error-code list (docs "Atlas Administration API Error Codes"): MISSING_ATTRIBUTE
 * ("The required attribute %s was not specified."), INVALID_ENUM_VALUE, ATTRIBUTE_NEGATIVE_OR_ZERO,
 * ATTRIBUTE_NEGATIVE, and INVALID_ATTRIBUTE ("Invalid attribute %s specified.") for anything else; a
 * refinement may name its own code (see {@link refuse}).
 */

const INT32_MAX = 2 ** 31 - 1;

/** An int32 of the spec, at least `min`. */
export const int32 = (min = -(2 ** 31)) => z.number().int().min(min).max(INT32_MAX);

/** A 24-hex id (`^([a-f0-9]{24})$`). */
export const objectId = () => z.string().regex(/^([a-f0-9]{24})$/);

/** A cluster name (`^[a-zA-Z0-9][a-zA-Z0-9-]*$`). */
export const clusterName = () => z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9-]*$/);

/** A refinement's problem with its own Atlas error code and message. */
export function refuse(
  ctx: z.RefinementCtx,
  errorCode: string,
  detail: string,
  parameters: (string | number)[] = [],
): void {
  ctx.addIssue({ code: 'custom', message: detail, params: { errorCode, parameters } });
}

/** The value at `path` in `body`, or undefined. */
const valueAt = (body: unknown, path: PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (value, key) =>
      typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined,
    body,
  );

function toAtlasError(issue: z.core.$ZodIssue, body: unknown): SimApiError {
  const attribute = issue.path.map(String).join('.') || 'body';
  if (issue.code === 'custom' && typeof issue.params?.errorCode === 'string') {
    const params = issue.params as { errorCode: string; parameters: (string | number)[] };
    return new SimApiError(400, params.errorCode, issue.message, params.parameters);
  }
  const value = valueAt(body, issue.path);
  if (value === undefined) {
    return new SimApiError(400, 'MISSING_ATTRIBUTE', `The required attribute ${attribute} was not specified.`, [
      attribute,
    ]);
  }
  if (issue.code === 'invalid_value') {
    const given = typeof value === 'string' ? value : JSON.stringify(value);
    return new SimApiError(400, 'INVALID_ENUM_VALUE', `An invalid enumeration value ${given} was specified.`, [given]);
  }
  if (
    issue.code === 'too_small' &&
    issue.origin === 'number' &&
    typeof value === 'number' &&
    [0, 1].includes(Number(issue.minimum))
  ) {
    const zero = Number(issue.minimum) === 1;
    return new SimApiError(
      400,
      zero ? 'ATTRIBUTE_NEGATIVE_OR_ZERO' : 'ATTRIBUTE_NEGATIVE',
      `The attribute ${attribute} cannot be negative${zero ? ' or zero' : ''}.`,
      [attribute],
    );
  }
  return new SimApiError(400, 'INVALID_ATTRIBUTE', `Invalid attribute ${attribute} specified.`, [attribute]);
}

/** `body` as `schema` reads it; throws the Atlas 400 of its first problem. */
export function parseWrite<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  throw toAtlasError(result.error.issues[0]!, body);
}
