import type { z } from 'zod';

/** What the client needs to know about one Atlas GET operation. */
export interface AtlasOperation<Schema extends z.ZodType> {
  /** The Go SDK method name (the spec's `x-xgen-operation-id-override`), used in logs and errors. */
  readonly name: string;
  /** The versioned media type, e.g. `application/vnd.atlas.2023-01-01+json`. */
  readonly accept: string;
  /** The shape of a 200 body. */
  readonly schema: Schema;
}
