import type { Logger } from 'pino';

/** The internal values of an enum's value map (`{ ON_DEMAND: { value: 'onDemand', … } }` → `onDemand`), as a set. */
export const knownValues = <const Values extends Record<string, { value: string }>>(
  values: Values,
): ReadonlySet<Values[keyof Values]['value']> => new Set(Object.values(values).map((entry) => entry.value));

/**
 * Narrows an upstream string to a value the GraphQL enum knows. A value Atlas added later resolves
 * to null (with a warning) instead of failing the whole object.
 */
export function knownEnumValue<T extends string>(
  known: ReadonlySet<T>,
  raw: string | undefined,
  field: string,
  logger: Logger,
): T | null {
  if (raw === undefined) return null;
  if (known.has(raw as T)) return raw as T;
  logger.warn(
    { field, value: raw.slice(0, 64) },
    'Atlas sent an enum value this schema does not know; resolving to null',
  );
  return null;
}
