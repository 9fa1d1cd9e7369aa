import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';
import { requestError } from '../errors.js';
import { documentIdOf, documentNotFound, documentRequired, type PersistedDocuments } from '../persisted-documents.js';

/**
 * Trusted documents over HTTP (@graphql-yoga/plugin-persisted-operations): a request naming a
 * document of the manifest by `documentId` or `extensions.persistedQuery.sha256Hash` runs the
 * DocumentNode parsed and validated at start (no parse, no validation per request). An unknown id
 * is PERSISTED_DOCUMENT_NOT_FOUND; with `documents.only`, a document sent as text (or none named) is
 * PERSISTED_DOCUMENT_REQUIRED — all before execution, so no Atlas call. Without `only`, any
 * document sent as text runs as before (GraphiQL, introspection, other clients).
 */
export function persistedDocuments(documents: PersistedDocuments): Plugin {
  const plugin: Plugin = usePersistedOperations({
    getPersistedOperation: (id) => documents.get(id) ?? null,
    extractPersistedOperationId: (params) => documentIdOf(params as Parameters<typeof documentIdOf>[0]) ?? null,
    allowArbitraryOperations: !documents.only,
    // Validated once, at start, with the same rules (PersistedDocuments.prepare).
    skipDocumentValidation: true,
    customErrors: {
      notFound: ({ params }) => documentNotFound(documentIdOf(params as Parameters<typeof documentIdOf>[0]) ?? ''),
      persistedQueryOnly: () => documentRequired(),
      // Neither a document nor an id: what Yoga answers without this plugin, unless only ids are taken.
      keyNotFound: () =>
        documents.only
          ? documentRequired()
          : requestError('BAD_REQUEST', 'Must provide a query string or the id of a persisted document.'),
    },
  });
  return plugin;
}
