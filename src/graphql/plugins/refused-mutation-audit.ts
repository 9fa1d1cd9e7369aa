import {
  getOperationAST,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type GraphQLError,
  type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Context } from '../context.js';
import { toGraphQLError } from '../errors.js';

/** The field name behind each response key of a mutation's root selection. */
function rootFields(operation: OperationDefinitionNode): Map<string, string> {
  const fields = new Map<string, string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields.set(selection.alias?.value ?? selection.name.value, selection.name.value);
  }
  return fields;
}

/** The `extensions.code` a caller gets for `error` (the one translator's), and the scope a FORBIDDEN names. */
const outcomeOf = (error: GraphQLError): { code: string; scope: string | null } => {
  const translated = toGraphQLError(error.originalError ?? error) as {
    extensions?: { code?: unknown; scope?: unknown };
  };
  const code = translated.extensions?.code ?? error.extensions.code;
  const scope = translated.extensions?.scope;
  return {
    code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR',
    scope: typeof scope === 'string' ? scope : null,
  };
};

/**
 * The audit line of a mutation refused before its action ran: a missing scope (FORBIDDEN) or an
 * invalid input (BAD_USER_INPUT) stop it in the schema, where the action runner, which writes the
 * audit line of every attempt it runs (backups/actions/audit.ts), never sees it. Same message and
 * `audit: true`, `result: refused`; no targets (the input was not accepted), never the input.
 */
export function refusedMutationAudit(logger: Logger): Plugin<Context> {
  return {
    onExecute({ args }) {
      const { document, operationName } = args as { document: DocumentNode; operationName?: string | null };
      const operation = getOperationAST(document, operationName);
      if (operation?.operation !== OperationTypeNode.MUTATION) return undefined;
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          const errors = (result as { errors?: readonly GraphQLError[] }).errors;
          if (!errors) return;
          const ctx = args.contextValue as Context;
          const fields = rootFields(operation);
          for (const error of errors) {
            const key = error.path?.length === 1 ? error.path[0] : undefined;
            if (typeof key !== 'string' || ctx.actionsRun?.has(key)) continue;
            logger.info(
              {
                audit: true,
                requestId: ctx.requestId,
                mutation: fields.get(key) ?? key,
                caller: ctx.caller.name,
                callerId: ctx.caller.id,
                result: 'refused',
                ...outcomeOf(error),
                durationMs: Math.round(performance.now() - started),
              },
              'backup action',
            );
          }
        },
      };
    },
  };
}
