import type { CodegenConfig } from '@graphql-codegen/cli';

// `npm run codegen` types the frontend examples' documents against schema.graphql and writes their
// trusted-documents manifest (examples/gql/persisted-documents.json: sha256 hash → document), which
// the service loads with PERSISTED_DOCUMENTS_FILE; `npm run codegen:check` fails when it is stale
// (it generates into CODEGEN_OUT, a directory of its own, and compares).
const out = process.env.CODEGEN_OUT ?? 'examples/gql/';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/frontend-client.ts', 'examples/restore-flow.ts', 'examples/live-status.ts'],
  ignoreNoDocuments: false,
  generates: {
    [out]: {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' },
      },
      // Operation types only (not every schema type); scalars as they arrive in JSON; a selected field
      // is always in the answer (null, not absent), an optional input field may be left out.
      config: {
        onlyOperationTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', SafeInt: 'number' },
      },
    },
  },
  importExtension: '.js',
};

export default config;
