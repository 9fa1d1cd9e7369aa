import type { ASTVisitor, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { requestError } from '../errors.js';

/** Refuses any selection of `Query._service` (the federation SDL) at validation: before execution. */
function noServiceFieldRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.name.value !== '_service' || context.getParentType()?.name !== 'Query') return;
      context.reportError(
        requestError(
          'GRAPHQL_VALIDATION_FAILED',
          'The federation SDL (`_service`) is not served here: compose the supergraph from the published schema.graphql (FEDERATION_SERVICE_SDL).',
          { nodes: [node] },
        ),
      );
    },
  };
}

/**
 * How the federation SDL is exposed. `_service { sdl }` is the schema with its federation
 * directives: like introspection, it tells whoever asks the whole API surface. Served only when
 * FEDERATION_SERVICE_SDL is on (default: on where introspection is, so off in production), and
 * then, like every operation, only to an authenticated caller. A gateway in production composes
 * from the published `schema.graphql` (a supergraph built by `npm run compose` or a schema
 * registry) and does not need it; one that composes at start-up (IntrospectAndCompose) needs it on.
 */
export function federationSdl(enabled: boolean): Plugin | undefined {
  if (enabled) return undefined;
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(noServiceFieldRule);
    },
  };
}
