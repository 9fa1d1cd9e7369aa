import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { ASTVisitor, GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { MAX_ITEMS_PER_PAGE } from '../../atlas/pagination.js';
import type { Config } from '../../config/config.js';
import { queryTooExpensive } from '../errors.js';
import { DEFAULT_FIRST } from '../schema/pagination.js';
import { requestCost } from './request-cost.js';

/** `__Type` fields that lead to more types: nested inside each other they make introspection explode. */
const TYPE_EXPANDING_FIELDS = new Set(['fields', 'interfaces', 'possibleTypes', 'inputFields']);

/**
 * Bounds introspection the way the standard query (GraphiQL, codegen) uses it: one `__schema` per
 * operation, and no type-expanding field inside another (`fields { type { fields … } }`, the
 * "circular introspection" of graphql-cop). The standard query never nests them: its `TypeRef`
 * fragment only follows `ofType`.
 */
function boundedIntrospectionRule(context: ValidationContext): ASTVisitor {
  let schemaFields = 0;
  let expandingDepth = 0;
  const isIntrospectionTypeField = () => context.getParentType()?.name === '__Type';
  const expanding: boolean[] = [];
  return {
    Field: {
      enter(node) {
        if (node.name.value === '__schema' && ++schemaFields > 1) {
          context.reportError(
            queryTooExpensive('Introspection is limited to one __schema per operation.', {
              request: true,
              nodes: [node],
            }),
          );
        }
        const nested = isIntrospectionTypeField() && TYPE_EXPANDING_FIELDS.has(node.name.value);
        expanding.push(nested);
        if (nested && ++expandingDepth > 1) {
          context.reportError(
            queryTooExpensive(`Introspection may not nest ${node.name.value} inside another type's fields.`, {
              request: true,
              nodes: [node],
            }),
          );
        }
      },
      leave() {
        if (expanding.pop()) expandingDepth -= 1;
      },
    },
  };
}

/** Armor's rejection messages: "Syntax Error: Aliases limit of 15 exceeded, found 16." and the like. */
const ARMOR_MESSAGE = /^Syntax Error: .* limit of \d+ exceeded/;

/**
 * Armor's rejections (thrown at parse or validation) carry no code and no HTTP status: as ours they
 * are QUERY_TOO_EXPENSIVE request errors (HTTP 400 under graphql-response+json). Called by the one
 * translator (mask-error.ts), so they are also logged as the caller's outcome, not as server errors.
 */
export const armorRejection = (error: GraphQLError) =>
  ARMOR_MESSAGE.test(error.message)
    ? queryTooExpensive(error.message.replace(/^Syntax Error: /, ''), { request: true, nodes: error.nodes })
    : undefined;

/**
 * What one operation may ask for: GraphQL Armor's aliases (`__typename` counted too), depth, tokens
 * and directives limits; cost, list items and `_entities` representations counted with the
 * request's variables (requestCost); field suggestions only where introspection is on; bounded
 * introspection. Everything rejected here is rejected before execution: no upstream call.
 */
export function operationLimits(config: Config): (Plugin | ReturnType<typeof EnvelopArmorPlugin>)[] {
  const { limits } = config;
  const armor = EnvelopArmorPlugin({
    maxAliases: { n: limits.aliases, allowList: [] },
    maxDepth: { n: limits.depth, ignoreIntrospection: true, flattenFragments: true },
    maxTokens: { n: limits.tokens },
    maxDirectives: { n: limits.directives },
    // Cost is ours (requestCost): Armor's prices only a literal `first`, so `first: $n` passed at any n.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !config.introspection },
  });
  const introspectionBound: Plugin = {
    onValidate({ addValidationRule }) {
      addValidationRule(boundedIntrospectionRule);
    },
  };
  // Cost counts objects, each multiplied by the `first` of the connections above it, with the
  // request's variables, and no scalar: what a response holds, not how wide it is (tokens bound that).
  // A full page of 500 with every field costs about 2,000; the default limit is 5,000.
  const cost = requestCost({
    maxCost: limits.cost,
    maxItems: limits.items,
    defaultFirst: DEFAULT_FIRST,
    maxFirst: MAX_ITEMS_PER_PAGE,
    maxRepresentations: limits.representations,
  });
  return [armor, introspectionBound, cost];
}
