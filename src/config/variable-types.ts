import { z } from 'zod';
import { Secret } from '../support/secret.js';

// The kinds of environment variable: how each is read from its string, and what makes it invalid.

/** A whole number in [1, max] with a default. */
export const positiveInt = (fallback: number, max = 3_600_000) =>
  z.coerce.number().int().positive().max(max).default(fallback);

/** A whole number in [0, max] with a default (0 usually turns the thing off). */
export const nonNegativeInt = (fallback: number, max = 3_600_000) =>
  z.coerce.number().int().min(0).max(max).default(fallback);

/** A TCP port; 0 picks a free one. */
export const port = () => z.coerce.number().int().min(0).max(65535);

const FLAG_VALUES = ['true', 'false', '1', '0'] as const;
const FLAG_ERROR = { error: 'must be true or false' };
const isOn = (value: string) => value === 'true' || value === '1';

/** `true`/`false`/`1`/`0`; unset means a default that depends on other variables (its `defaultText` says which). */
export const flag = z
  .enum(FLAG_VALUES, FLAG_ERROR)
  .optional()
  .transform((value) => (value === undefined ? undefined : isOn(value)));

/** `true`/`false`/`1`/`0` with a fixed default. */
export const flagDefault = (fallback: boolean) =>
  z.enum(FLAG_VALUES, FLAG_ERROR).default(`${fallback}`).transform(isOn);

/** A comma-separated list; blanks dropped. */
export const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** An optional string; blank counts as unset. */
export const text = z
  .string()
  .optional()
  .transform((value) => value?.trim() || undefined);

/** An optional secret: kept only inside a Secret, which prints as `[redacted]`. */
export const secret = text.transform((value) => (value === undefined ? undefined : new Secret(value)));

/** An http(s) URL. */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
