import { inspect } from 'node:util';

/** Every secret value this process holds, so that text can be scrubbed of them before it leaves. */
const known = new Set<string>();

/**
 * A credential that cannot leak by accident: printing, logging or JSON-encoding it yields
 * "[redacted]"; only `reveal()` gives the value, at the one place that signs a request. Its value is
 * also remembered so that `Secret.scrub` can remove it from any text (a log line, say) that a bug
 * might have put it in.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    if (value.length >= 4) known.add(value);
  }

  /** The raw value; call it only where the credential is put on the wire. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Secret([redacted])';
  }

  /** `text` with every known secret value replaced by "[redacted]". */
  static scrub(text: string): string {
    let result = text;
    for (const value of known) if (result.includes(value)) result = result.split(value).join('[redacted]');
    return result;
  }
}
