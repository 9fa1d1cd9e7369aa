import type { Secret } from '../support/secret.js';

/** Values frozen as they are (class instances with state of their own) rather than walked into. */
type Opaque = URL | Secret | Buffer | ((...args: never[]) => unknown);

/** `T` with every plain object and array inside it read-only. */
export type DeepReadonly<T> = T extends Opaque
  ? T
  : T extends readonly (infer Item)[]
    ? readonly DeepReadonly<Item>[]
    : T extends object
      ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> }
      : T;

const isPlain = (value: unknown): value is object =>
  Array.isArray(value) ||
  (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype);

/**
 * Freezes `value` and every plain object and array inside it. Class instances (URL, Secret) are left
 * as they are, and Buffers cannot be frozen at all (typed arrays with elements refuse to).
 */
export function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (isPlain(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value as DeepReadonly<T>;
}
