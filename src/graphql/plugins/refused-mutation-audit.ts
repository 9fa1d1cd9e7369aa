import {
  getOperationAST,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Context } from '../context.js';
import { maskError } from '../mask-error.js';
import { recordFor } from '../request-record.js';

/**
 * The field name behind each response key of a mutation's root selection, through inline fragments
 * and fragment spreads (a caller's alias is never taken for the mutation's name).
 */
function rootFields(document: DocumentNode, operation: OperationDefinitionNode): Map<string, string> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const fields = new Map<string, string>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD)
        fields.set(selection.alias?.value ?? selection.name.value, selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return fields;
}

/** The `extensions.code` a caller gets for `error` (as Yoga's masking will give it), and the scope a FORBIDDEN names. */
const outcomeOf = (error: GraphQLError): { code: string; scope: string | null } => {
  const masked = maskError(error, 'Unexpected error.') as { extensions?: { code?: unknown; scope?: unknown } };
  const { code, scope } = masked.extensions ?? {};
  return {
    code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR',
    scope: typeof scope === 'string' ? scope : null,
  };
};

/** The mutation operation of a document, if that is what it asks for. */
function mutationOf(args: unknown): { document: DocumentNode; operation: OperationDefinitionNode } | undefined {
  const { document, operationName } = args as { document?: DocumentNode; operationName?: string | null };
  if (!document) return undefined;
  const operation = getOperationAST(document, operationName);
  return operation?.operation === OperationTypeNode.MUTATION ? { document, operation } : undefined;
}

/**
 * The audit lines of mutations refused before their action ran — the action runner writes the line
 * of every attempt it runs (backups/actions/audit.ts), these are the others: a missing scope
 * (FORBIDDEN) or an invalid input (BAD_USER_INPUT) at the field; variables that do not coerce
 * (BAD_USER_INPUT, no field reached); a document that does not validate (GRAPHQL_VALIDATION_FAILED,
 * one line per root field it names). Same message, `audit: true`, `result: refused`; the field's
 * name, never an alias; no targets and never the input.
 */
export function refusedMutationAudit(logger: Logger): Plugin<Context> {
  const refused = (
    ctx: { requestId?: string | undefined; caller?: { id: string; name: string } | undefined },
    mutation: string,
    outcome: { code: string; scope: string | null },
  ) =>
    logger.info(
      {
        audit: true,
        requestId: ctx.requestId,
        mutation,
        caller: ctx.caller?.name,
        callerId: ctx.caller?.id,
        result: 'refused',
        ...outcome,
      },
      'backup action',
    );
  return {
    onValidate({ params, context }) {
      const { operationName } = (context as { params?: { operationName?: string | null } }).params ?? {};
      const mutation = mutationOf({ document: params.documentAST as DocumentNode, operationName });
      if (!mutation) return undefined;
      return ({ valid }) => {
        if (valid) return;
        // Before the GraphQL context exists: who the caller is comes from the request record.
        const request = (context as { request?: Request }).request;
        const record = request ? recordFor(request) : undefined;
        const who = {
          requestId: record?.id,
          caller: record ? { id: record.caller ?? '', name: record.callerName ?? record.caller ?? '' } : undefined,
        };
        const code = 'GRAPHQL_VALIDATION_FAILED';
        const names = new Set(rootFields(mutation.document, mutation.operation).values());
        for (const name of names.size > 0 ? names : ['(none)']) refused(who, name, { code, scope: null });
      };
    },
    onExecute({ args }) {
      const mutation = mutationOf(args);
      if (!mutation) return undefined;
      return {
        onExecuteDone({ result }) {
          const errors = (result as { errors?: readonly GraphQLError[] }).errors;
          if (!errors) return;
          const ctx = args.contextValue as Context;
          const fields = rootFields(mutation.document, mutation.operation);
          for (const error of errors) {
            const key = error.path?.[0];
            if (error.path === undefined) {
              // Variables that did not coerce: no field ran; every mutation the document names was refused.
              for (const name of new Set(fields.values())) refused(ctx, name, outcomeOf(error));
              continue;
            }
            if (error.path.length !== 1 || typeof key !== 'string' || ctx.actionsRun?.has(key)) continue;
            refused(ctx, fields.get(key) ?? '(unknown)', outcomeOf(error));
          }
        },
      };
    },
  };
}
