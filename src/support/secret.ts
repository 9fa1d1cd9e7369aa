import { inspect } from 'node:util';

/**
 * Every secret value this process holds, so that text can be scrubbed of them before it leaves;
 * counted, since two Secrets may hold one value and one may be forgotten while the other lives.
 */
const known = new Map<string, number>();

/** Shorter values are not scrubbed: they would redact ordinary words. */
const MIN_SCRUBBED_LENGTH = 4;

/**
 * A credential that cannot leak by accident: printing, logging or JSON-encoding it yields
 * "[redacted]"; only `reveal()` gives the value, at the one place that signs a request. Its value is
 * also remembered so that `Secret.scrub` can remove it from any text (a log line, say) that a bug
 * might have put it in.
 */
export class Secret {
  readonly #value: string;
  #registered: boolean;

  constructor(value: string) {
    this.#value = value;
    this.#registered = value.length >= MIN_SCRUBBED_LENGTH;
    if (this.#registered) known.set(value, (known.get(value) ?? 0) + 1);
  }

  /**
   * Stops scrubbing this value (unless another Secret holds it): for credentials that expire, such
   * as access tokens and the credential of one call, so the registry stays the size of what is live.
   */
  forget(): void {
    if (!this.#registered) return;
    this.#registered = false;
    const count = known.get(this.#value) ?? 0;
    if (count <= 1) known.delete(this.#value);
    else known.set(this.#value, count - 1);
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
    for (const value of known.keys()) if (result.includes(value)) result = result.split(value).join('[redacted]');
    return result;
  }
}
