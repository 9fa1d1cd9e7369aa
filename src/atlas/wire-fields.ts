import { z } from 'zod';

// The zod pieces every Atlas body schema is built from, so that no field of a body can hold more
// than Atlas ever sends: a hostile or broken upstream gets a short list of problems, not a 3 MB
// string passed on to callers or one zod issue per item of a million-item array.

/**
 * The longest text Atlas sends in each kind of field, with room to spare (the spec's patterns and
 * the recordings in ../shared/atlas): a longer value is not Atlas's, and its body is refused.
 */
export const MAX_TEXT_LENGTH = {
  /** Enum-like values (`status`, `deliveryType`, …); Atlas's longest is 11 characters. */
  enum: 32,
  /** MongoDB versions, e.g. `8.0.29`. */
  version: 32,
  /** Cluster, instance and deployment names: Atlas allows 64 characters. */
  name: 64,
  /** ISO-8601 date-times: 20 characters as Atlas writes them, more with fractions and offsets. */
  dateTime: 64,
  /** Links (under 200 characters) and presigned download URLs (longer, with their signatures). */
  url: 4096,
  /** Free text nothing reads (the system status's app name and build). */
  description: 1024,
} as const;

/** The kinds of text field in an Atlas body. */
type TextKind = keyof typeof MAX_TEXT_LENGTH;

/**
 * A string field of an Atlas body, at most `MAX_TEXT_LENGTH[kind]` characters; checks chained after
 * it do not run on a longer value (so no pattern ever reads a 3 MB string).
 */
export function atlasText(kind: TextKind) {
  const max = MAX_TEXT_LENGTH[kind];
  return z.string().max(max, { error: `must be at most ${max} characters`, abort: true });
}

/** Invalid items of one array reported before the rest of it goes unchecked. */
export const MAX_INVALID_ITEMS = 3;

/**
 * An array field of an Atlas body. More than `maxItems` items is refused before any item is read;
 * items are then checked one by one, and checking stops after MAX_INVALID_ITEMS invalid ones (zod's
 * own arrays report every item, one issue object each: a 1 MB body of `{}` is 300,000 issues).
 */
export function atlasArray<Item extends z.ZodType>(item: Item, maxItems: number) {
  return z
    .array(z.unknown())
    .max(maxItems, { error: `must have at most ${maxItems} items` })
    .transform((values, ctx) => {
      const items: z.output<Item>[] = [];
      let invalid = 0;
      for (const [index, value] of values.entries()) {
        const parsed = item.safeParse(value);
        if (parsed.success) {
          items.push(parsed.data);
          continue;
        }
        for (const { message, path } of parsed.error.issues) {
          ctx.issues.push({ code: 'custom', message, path: [index, ...path], input: value });
        }
        invalid += 1;
        if (invalid === MAX_INVALID_ITEMS && index < values.length - 1) {
          const message = `items after ${index} not checked (${MAX_INVALID_ITEMS} invalid items already)`;
          ctx.issues.push({ code: 'custom', message, input: values });
          return z.NEVER;
        }
      }
      return invalid === 0 ? items : z.NEVER;
    });
}
