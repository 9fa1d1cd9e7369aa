import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { ConfigError } from '../config/config.js';
import { requestError, type TypedGraphQLError } from './errors.js';
import { ERROR_CODES } from './error-codes.js';

/** A sha256 hash in hex, as the manifest keys its documents. */
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The parse and validation a request gets (Yoga's envelop: armor's limits, introspection bounds, the schema). */
export interface DocumentChecks {
  schema: GraphQLSchema;
  parse: (source: string) => DocumentNode;
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
}

/** What a request carries that may name a persisted document (GraphQL over HTTP params or a graphql-ws payload). */
interface DocumentRequest {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

/**
 * The id a request names its document by, or undefined: `documentId` (GraphQL over HTTP's persisted
 * documents: `sha256:<hex>`, or the bare hash as client-preset's `documentId` mode sends it), else
 * `extensions.persistedQuery.sha256Hash` (Apollo's persisted queries, urql's persistedExchange).
 */
export function documentIdOf(request: DocumentRequest): string | undefined {
  if (typeof request.documentId === 'string') return request.documentId.replace(/^sha256:/, '');
  const extensions = request.extensions as { persistedQuery?: { sha256Hash?: unknown } } | null | undefined;
  const hash = extensions?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? hash : undefined;
}

/** PERSISTED_DOCUMENT_NOT_FOUND for `id` (echoed only when it is a sha256 hash: anything else is the caller's text). */
export function documentNotFound(id: string): TypedGraphQLError {
  const known = SHA256_HEX.test(id);
  const error = requestError(
    'PERSISTED_DOCUMENT_NOT_FOUND',
    `${ERROR_CODES.PERSISTED_DOCUMENT_NOT_FOUND.message}${known ? ` (${id})` : ' (the id is not a sha256 hash)'}.`,
  );
  if (known) error.extensions.documentId = id;
  return error;
}

/** PERSISTED_DOCUMENT_REQUIRED: a document sent as text, or none named, where only trusted ones run. */
export const documentRequired = (): TypedGraphQLError =>
  requestError(
    'PERSISTED_DOCUMENT_REQUIRED',
    `${ERROR_CODES.PERSISTED_DOCUMENT_REQUIRED.message}: send the id of a document of its manifest (documentId or extensions.persistedQuery.sha256Hash), without "query".`,
  );

/**
 * The trusted documents of one process (PERSISTED_DOCUMENTS_FILE), by sha256 hash: each parsed and
 * validated once at start with the checks a request gets, so that a request naming one skips both.
 */
export class PersistedDocuments {
  readonly #byHash = new Map<string, DocumentNode>();

  /** `documents`: hash → text, from the config; `only`: PERSISTED_DOCUMENTS_ONLY. */
  constructor(
    private readonly documents: Readonly<Record<string, string>>,
    readonly only: boolean,
  ) {}

  /** How many documents the manifest holds. */
  get size(): number {
    return Object.keys(this.documents).length;
  }

  /**
   * Parses and validates every document as a request's would be (limits included); throws a
   * ConfigError naming each document that fails, by its hash's first digits and operation names.
   */
  prepare(checks: DocumentChecks): void {
    const problems: string[] = [];
    for (const [hash, text] of Object.entries(this.documents)) {
      const name = `PERSISTED_DOCUMENTS_FILE document ${hash.slice(0, 12)}…`;
      let document: DocumentNode;
      try {
        document = checks.parse(text);
      } catch (error) {
        problems.push(`${name} does not parse: ${(error as Error).message}`);
        continue;
      }
      // Some limits throw rather than report (GraphQL Armor's depth, aliases, directives).
      let errors: readonly GraphQLError[];
      try {
        errors = checks.validate(checks.schema, document);
      } catch (error) {
        errors = [error as GraphQLError];
      }
      if (errors.length > 0) {
        problems.push(`${name} is not valid here: ${errors.map((e) => e.message).join(' ')}`);
        continue;
      }
      this.#byHash.set(hash, document);
    }
    if (problems.length > 0) throw new ConfigError(problems);
  }

  /** The parsed, validated document of `hash`, or undefined. */
  get(hash: string): DocumentNode | undefined {
    return this.#byHash.get(hash);
  }

  /**
   * What one request runs (the WebSocket transport's check; over HTTP the plugin does the same):
   * the trusted document it names, or undefined when it sends its document as text and that is
   * allowed. Throws PERSISTED_DOCUMENT_REQUIRED or PERSISTED_DOCUMENT_NOT_FOUND.
   */
  documentFor(request: DocumentRequest): DocumentNode | undefined {
    // graphql-ws requires a string `query`: an empty one sends no document, as over HTTP.
    if (typeof request.query === 'string' && request.query !== '') {
      if (this.only) throw documentRequired();
      return undefined;
    }
    const id = documentIdOf(request);
    if (id === undefined) {
      if (this.only) throw documentRequired();
      return undefined;
    }
    const document = this.get(id);
    if (!document) throw documentNotFound(id);
    return document;
  }
}
