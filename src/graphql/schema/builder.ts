import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import type { Context } from '../context.js';
import { READ_SCOPE, scopeAuthOptions, type AuthScopes } from '../scope-auth.js';
import { pageArgSchemas } from './pagination.js';

/** The one schema builder: generics and plugins only; types live in their own files. */
export const builder = new SchemaBuilder<{
  Context: Context;
  // Caller scopes (config/scopes.ts): a field asks for one with `authScopes: { 'backups:restore': true }`.
  AuthScopes: AuthScopes;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    SafeInt: { Input: number; Output: number };
  };
  // Non-null unless a field says otherwise, so the SDL states what is guaranteed.
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  defaultFieldNullability: false,
  // Validation: each argument declares its zod schema (`validate`); a failure reaches errors.ts as the
  // plugin's InputValidationError and leaves as BAD_USER_INPUT naming the argument.
  // Scope auth first (its docs' order): a field's scopes are checked before any other plugin's
  // wrapper or the resolver runs, so a refused field calls no one. Arguments are validated before
  // that still (Pothos maps arguments outside every wrapper): BAD_USER_INPUT wins, also without a call.
  plugins: [ScopeAuthPlugin, RelayPlugin, DirectivePlugin, FederationPlugin, ValidationPlugin],
  scopeAuth: scopeAuthOptions,
  relay: {
    // Relay mutations: `clientMutationId` in every input and echoed in its payload (mutation-kit.ts).
    clientMutationId: 'optional',
    clientMutationIdInputOptions: { description: 'Any string you choose: the payload echoes it (Relay).' },
    clientMutationIdFieldOptions: { description: 'The `clientMutationId` of the input, echoed.' },
    cursorType: 'String',
    // No global object identification: Atlas ids are only unique with their path parameters.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    edgesFieldOptions: { nullable: false, description: 'The items of this page, in Atlas order.' },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    cursorFieldOptions: { description: 'Opaque cursor of this item: pass it as `after` to continue after it.' },
    pageInfoFieldOptions: { description: 'Where this page stands in the whole list.' },
    pageInfoTypeOptions: { description: 'Relay page information.' },
    hasNextPageFieldOptions: { description: 'More items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Items precede this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first item of this page; null when the page is empty.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of this page; null when the page is empty.' },
    firstArgOptions: {
      description: 'How many items to return: 1 to 500 (Atlas itemsPerPage). Default 100.',
      validate: pageArgSchemas.first,
    },
    afterArgOptions: { description: 'Return the items after this cursor.', validate: pageArgSchemas.after },
    lastArgOptions: {
      description: 'Not supported (Atlas pages forwards only): gives BAD_USER_INPUT.',
      validate: pageArgSchemas.last,
    },
    beforeArgOptions: {
      description: 'Not supported (Atlas pages forwards only): gives BAD_USER_INPUT.',
      validate: pageArgSchemas.before,
    },
  },
});

/** The schema types of the builder, for helpers that build fields or refs outside a type file. */
export type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

// Every query field needs `backups:read` (`_service` and `_entities` are added past Pothos: entities
// check it themselves, see keyedEntity).
builder.queryType({
  description: 'Read-only access to MongoDB Atlas backup snapshots and restore jobs.',
  authScopes: READ_SCOPE,
});
