import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { requestError } from '../errors.js';
import { documentIdOf, documentNotFound, documentRequired, type PersistedDocuments } from '../persisted-documents.js';

/**
 * The id a request names its document by. Over GET also `?documentId=` (GraphQL over HTTP's
 * persisted documents): Yoga's GET parser reads only query, operationName, variables and extensions.
 */
function idOf(params: GraphQLParams, request: Request): string | undefined {
  const id = documentIdOf(params as Parameters<typeof documentIdOf>[0]);
  if (id !== undefined || request.method !== 'GET') return id;
  return documentIdOf({ documentId: new URL(request.url).searchParams.get('documentId') ?? undefined });
}

/**
 * Trusted documents over HTTP (@graphql-yoga/plugin-persisted-operations): a request naming a
 * document of the manifest by `documentId` or `extensions.persistedQuery.sha256Hash` runs the
 * DocumentNode parsed and validated at start (no parse, no validation per request; Yoga's checks of
 * the request — a mutation only over POST, which operation — still run). An unknown id
 * is PERSISTED_DOCUMENT_NOT_FOUND; with `documents.only`, a document sent as text (or none named) is
 * PERSISTED_DOCUMENT_REQUIRED — all before execution, so no Atlas call. Without `only`, any
 * document sent as text runs as before (GraphiQL, introspection, other clients).
 */
export function persistedDocuments(documents: PersistedDocuments): Plugin {
  const plugin: Plugin = usePersistedOperations({
    getPersistedOperation: (id) => documents.get(id) ?? null,
    extractPersistedOperationId: (params, request) => idOf(params, request) ?? null,
    allowArbitraryOperations: !documents.only,
    // Validated once, at start, with the same rules (PersistedDocuments.prepare).
    skipDocumentValidation: true,
    customErrors: {
      notFound: ({ params, request }) => documentNotFound(idOf(params, request) ?? ''),
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
