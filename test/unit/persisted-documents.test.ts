import { createHash } from 'node:crypto';
import { type DocumentNode, type GraphQLError, parse, validate } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config.js';
import { documentIdOf, PersistedDocuments } from '../../src/graphql/persisted-documents.js';
import { persistedDocuments } from '../../src/graphql/plugins/persisted-documents.js';
import { schema } from '../../src/graphql/schema/index.js';

// The trusted-documents plugin in a real Yoga over the service's schema (yoga.fetch in-process):
// what a persisted request costs in parse and validation, counted where Yoga calls them.

const PROBE = 'query Probe { __typename }';
const HASH = createHash('sha256').update(PROBE).digest('hex');

/** Counts the calls of graphql-js's parse and validate that Yoga actually makes. */
function counting() {
  const counts = { parse: 0, validate: 0 };
  const plugin: Plugin = {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        counts.parse += 1;
        return parseFn(source, options) as DocumentNode;
      });
    },
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((...args) => {
        counts.validate += 1;
        return validateFn(...args) as readonly GraphQLError[];
      });
    },
  };
  return { counts, plugin };
}

/** A Yoga over the schema with the plugin for a manifest of PROBE; caches off, so each text request parses. */
function server(only: boolean) {
  const documents = new PersistedDocuments({ [HASH]: PROBE }, only);
  const { counts, plugin } = counting();
  const yoga = createYoga({
    schema,
    plugins: [persistedDocuments(documents), plugin],
    parserAndValidationCache: false,
    extraParamNames: ['documentId'],
  });
  documents.prepare(yoga.getEnveloped({ params: { query: '' } }));
  const post = async (body: unknown) => {
    const response = await yoga.fetch('http://x/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { counts, post };
}

describe('a persisted request', () => {
  it('skips parse and validation: done once at start, none per request; a text request does both each time', async () => {
    const { counts, post } = server(false);
    expect(counts).toEqual({ parse: 1, validate: 1 }); // prepare: once, at start
    for (let i = 0; i < 5; i += 1)
      expect(await post({ documentId: `sha256:${HASH}` })).toEqual({
        status: 200,
        body: { data: { __typename: 'Query' } },
      });
    expect(counts).toEqual({ parse: 1, validate: 1 });
    for (let i = 0; i < 5; i += 1) await post({ query: PROBE });
    expect(counts).toEqual({ parse: 6, validate: 6 });
  });

  it('with only=true, a text request is refused before parse', async () => {
    const { counts, post } = server(true);
    const refused = await post({ query: PROBE });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('PERSISTED_DOCUMENT_REQUIRED');
    expect(counts).toEqual({ parse: 1, validate: 1 });
  });
});

describe('PersistedDocuments', () => {
  it('reads the id from documentId (with or without sha256:) or extensions.persistedQuery.sha256Hash', () => {
    expect(documentIdOf({ documentId: `sha256:${HASH}` })).toBe(HASH);
    expect(documentIdOf({ documentId: HASH })).toBe(HASH);
    expect(documentIdOf({ extensions: { persistedQuery: { version: 1, sha256Hash: HASH } } })).toBe(HASH);
    expect(documentIdOf({ extensions: { persistedQuery: { sha256Hash: 42 } } })).toBeUndefined();
    expect(documentIdOf({ query: PROBE })).toBeUndefined();
  });

  it('names every document that does not parse or validate against the schema, at once', () => {
    const documents = new PersistedDocuments(
      { ['a'.repeat(64)]: 'query {', ['b'.repeat(64)]: '{ nope }', [HASH]: PROBE },
      true,
    );
    let problems: string[] = [];
    try {
      documents.prepare({ schema, parse, validate });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^PERSISTED_DOCUMENTS_FILE document a{12}… does not parse: Syntax Error/),
      'PERSISTED_DOCUMENTS_FILE document bbbbbbbbbbbb… is not valid here: Cannot query field "nope" on type "Query".',
    ]);
  });
});
