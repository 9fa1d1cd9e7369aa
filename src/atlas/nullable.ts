import { z } from 'zod';

/**
 * A field Atlas may leave out or send as `null` (fields that appear as a job progresses, README
 * §10.6 item 7; `desiredTimestamp`'s members): both read as absent, so records see one "no value".
 */
export const nullable = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === null ? undefined : value), schema.optional());

/**
 * A field whose shape the spec gets wrong or that Atlas may change (README §10.6 item 5): a value of
 * another shape degrades this one field to absent instead of failing the whole body.
 */
export const lenient = <S extends z.ZodType>(schema: S) => nullable(schema).catch(undefined);
