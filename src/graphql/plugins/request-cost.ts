import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isCompositeType,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { queryTooExpensive } from '../errors.js';

/** What one operation may ask for, counted with its variables' values. */
export interface CostLimits {
  /** Objects in the response: each object-typed field, multiplied by the `first` of every connection above it. */
  maxCost: number;
  /** List items asked of Atlas: the `first` of every connection plus every `_entities` representation. */
  maxItems: number;
  /** `first` when a connection field has none. */
  defaultFirst: number;
  /** `first` assumed when its value cannot be known (a variable missing or of the wrong type): the worst case. */
  maxFirst: number;
  /** Representations one `_entities` field may carry (UPSTREAM_MAX_REPRESENTATIONS). */
  maxRepresentations: number;
}

/** Cost and items of one selection, per unit of whatever multiplies it. */
interface Measure {
  cost: number;
  items: number;
}

/** The measure of a whole operation, and the most representations one of its `_entities` fields carries. */
interface OperationMeasure extends Measure {
  representations: number;
}

type Variables = { [name: string]: unknown };

/**
 * The price of an operation as it will run: every connection's `first` (a literal, a variable's
 * value, a variable's default, or the connection's default) multiplies what it selects; `_entities`
 * multiplies by its representations. A value that cannot be known counts as `maxFirst`. Linear in
 * the document: each fragment is measured once per type and scaled, so fragment fan-out cannot blow
 * up the count itself.
 */
function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  inputs: Variables,
  limits: CostLimits,
): OperationMeasure {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return { cost: 0, items: 0, representations: 0 };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs);
  const variables: Variables | undefined = coerced.coerced;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, Measure>();
  let representations = 0;

  /** How many times a field's selection is produced: `first` of a connection, the representations of `_entities`. */
  const fanOut = (
    field: GraphQLField<unknown, unknown>,
    node: Parameters<typeof getArgumentValues>[1],
  ): number | undefined => {
    const isConnection =
      getNamedType(field.type).name.endsWith('Connection') && field.args.some((a) => a.name === 'first');
    if (!isConnection && field.name !== '_entities') return undefined;
    let args: Record<string, unknown> | undefined;
    try {
      args = variables ? getArgumentValues(field, node, variables) : undefined;
    } catch {
      args = undefined;
    }
    if (field.name === '_entities') {
      const given = args?.representations;
      if (!Array.isArray(given)) return limits.maxFirst;
      representations = Math.max(representations, given.length);
      return given.length;
    }
    if (!args) return limits.maxFirst;
    const first = args.first;
    if (first === undefined || first === null) return limits.defaultFirst;
    return typeof first === 'number' && Number.isFinite(first) ? Math.max(0, first) : limits.maxFirst;
  };

  const measure = (set: SelectionSetNode, parent: GraphQLCompositeType): Measure => {
    const total = { cost: 0, items: 0 };
    for (const selection of set.selections) {
      let part: Measure;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__') || !('getFields' in parent)) continue;
        const field = parent.getFields()[selection.name.value];
        if (!field) continue;
        const type = getNamedType(field.type);
        if (!isCompositeType(type) || !selection.selectionSet) continue;
        const inner = measure(selection.selectionSet, type);
        const times = fanOut(field, selection);
        part =
          times === undefined
            ? { cost: 1 + inner.cost, items: inner.items }
            : { cost: 1 + times * inner.cost, items: times + times * inner.items };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (!type || !isCompositeType(type)) continue;
        part = measure(selection.selectionSet, type);
      } else {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !type || !isCompositeType(type)) continue;
        const key = `${fragment.name.value}@${type.name}`;
        let known = memo.get(key);
        if (!known) {
          // Validation has refused fragment cycles before execution: the recursion ends.
          known = measure(fragment.selectionSet, type);
          memo.set(key, known);
        }
        part = known;
      }
      total.cost += part.cost;
      total.items += part.items;
    }
    return total;
  };
  return { ...measure(operation.selectionSet, root), representations };
}

/** Why an operation is refused, or undefined when it is within every limit. */
function refusal(measured: OperationMeasure, limits: CostLimits): string | undefined {
  const { cost, items, representations } = measured;
  if (representations > limits.maxRepresentations)
    return `_entities takes at most ${limits.maxRepresentations} representations (UPSTREAM_MAX_REPRESENTATIONS); got ${representations}.`;
  if (cost > limits.maxCost)
    return `This operation costs ${cost} (objects it may return, counted with its variables); the limit is ${limits.maxCost} (GRAPHQL_MAX_COST).`;
  if (items > limits.maxItems)
    return `This operation asks Atlas for ${items} list items (every \`first\` and representation, counted with its variables); the limit is ${limits.maxItems} (GRAPHQL_MAX_ITEMS).`;
  return undefined;
}

/**
 * Refuses, before any resolver runs, an operation whose cost, list items or `_entities`
 * representations exceed the limits, counted with the request's own variables (GraphQL Armor
 * prices only a literal `first`, so `first: $n` used to pass at any `n`).
 */
export function requestCost(limits: CostLimits): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      // envelop types its execution args loosely (any graphql version); they are graphql-js's own.
      const { schema, document, operationName, variableValues } = args as ExecutionArgs;
      const measured = measureOperation(schema, document, operationName, variableValues ?? {}, limits);
      const problem = refusal(measured, limits);
      if (problem) setResultAndStopExecution({ errors: [queryTooExpensive(problem, { request: true })] });
    },
  };
}
