import { inspect } from 'node:util';

/**
 * A credential that cannot leak by accident: printing, logging or JSON-encoding it
 * yields "[redacted]"; only `reveal()` gives the value, at the one place that signs a request.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
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
}
