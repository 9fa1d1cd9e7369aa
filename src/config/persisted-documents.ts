import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Environment } from './environment.js';
import { flagDefault, text } from './variable-types.js';

// The trusted documents (persisted operations) of the frontends: the manifest a frontend's build
// writes (@graphql-codegen/client-preset, `persistedDocuments`), read and checked once at start.
// The GraphQL server parses and validates its documents (src/graphql/persisted-documents.ts).

/** A sha256 hash as the manifest keys its documents: 64 lower-case hexadecimal digits. */
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The manifest's shape: `{ "<sha256 hex of the document>": "<document>" }`. */
const manifestSchema = z.record(
  z.string().regex(SHA256_HEX, { error: 'a key is not a sha256 hash (64 lower-case hexadecimal digits)' }),
  z.string().min(1, { error: 'a document is empty' }),
);

/** The manifest file's documents by hash, or the problems that keep it from being used (never its content). */
function readManifest(path: string): { documents: Record<string, string> } | { problems: string[] } {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    return { problems: [`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`] };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { problems: ['is not JSON'] };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const messages = new Set(parsed.error.issues.map((issue) => issue.message));
    return { problems: [`is not a manifest of { "<sha256 hex>": "<document>" } (${[...messages].join('; ')})`] };
  }
  // A document whose text does not hash to its key could never be asked for by a client that hashes it.
  const mismatched = Object.entries(parsed.data)
    .filter(([hash, document]) => createHash('sha256').update(document).digest('hex') !== hash)
    .map(([hash]) => hash.slice(0, 12));
  if (mismatched.length > 0)
    return { problems: [`holds documents that do not hash to their key (sha256): ${mismatched.join(', ')}…`] };
  return { documents: parsed.data };
}

/** The trusted-documents variables, section "Trusted documents" of the environment. */
export const persistedDocumentsVariables = {
  PERSISTED_DOCUMENTS_FILE: text
    .transform((path, ctx) => {
      if (path === undefined) return undefined;
      const manifest = readManifest(path);
      if ('documents' in manifest) return { path, documents: manifest.documents };
      for (const problem of manifest.problems) ctx.issues.push({ code: 'custom', message: problem, input: undefined });
      return z.NEVER;
    })
    .meta({
      description:
        'A trusted-documents manifest: a JSON object of sha256 hash → document, as `@graphql-codegen/client-preset` writes it (`persistedDocuments`; this repository’s example: `examples/gql/persisted-documents.json`). Its documents are parsed and validated once at start (a bad one stops the start) and answered by hash, without parse or validation: `documentId` (`sha256:<hash>` or the hash) or `extensions.persistedQuery.sha256Hash` (docs/trusted-documents.md).',
      defaultText: 'unset (no persisted documents)',
    }),
  PERSISTED_DOCUMENTS_ONLY: flagDefault(false).describe(
    'Run only the documents of `PERSISTED_DOCUMENTS_FILE`: any other (a `query` sent as text, over HTTP or WebSocket) gets `PERSISTED_DOCUMENT_REQUIRED` and no Atlas call. GraphiQL cannot send anything then (its introspection neither).',
  ),
};

/** Variables that contradict each other (each is valid alone). */
export function persistedDocumentsProblems(e: Environment): string[] {
  if (!e.PERSISTED_DOCUMENTS_ONLY || e.PERSISTED_DOCUMENTS_FILE !== undefined) return [];
  return [
    'PERSISTED_DOCUMENTS_ONLY=true needs PERSISTED_DOCUMENTS_FILE: without a manifest every request would be refused',
  ];
}

/** The trusted documents (undefined: none, any document runs); `notes` gets what is worth logging at start. */
export function persistedDocumentsFrom(e: Environment, graphiql: boolean, notes: string[]) {
  const manifest = e.PERSISTED_DOCUMENTS_FILE;
  if (manifest === undefined) return undefined;
  const only = e.PERSISTED_DOCUMENTS_ONLY;
  if (only && graphiql)
    notes.push(
      'PERSISTED_DOCUMENTS_ONLY=true: GraphiQL is served but every document it sends is refused (its introspection too); set GRAPHIQL=false',
    );
  return {
    /** The manifest's path, for the start-up log. */
    file: manifest.path,
    /** sha256 hex → document text, each hash checked against its text. */
    documents: manifest.documents,
    /** PERSISTED_DOCUMENTS_ONLY: refuse every other document. */
    only,
  };
}
