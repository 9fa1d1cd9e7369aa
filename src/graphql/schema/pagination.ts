import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { MAX_ITEMS_PER_PAGE, MAX_PAGE_NUM, type PageRequest } from '../../atlas/pagination.js';
import type { Page } from '../../backups/backup-reader.js';
import { BadUserInputError } from '../errors.js';
import type { builder } from './builder.js';

/** The schema types of our builder, for helpers that build fields outside a type file. */
type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** Forward-only Relay arguments after validation. */
export interface PageArgs {
  first: number;
  /** Absolute position of the `after` cursor's item; -1 before the first. */
  afterPosition: number;
}

/** `first` when the caller gives none: Atlas's own default page size. */
export const DEFAULT_FIRST = 100;

const CURSOR_PREFIX = 'atlas:v1:';

/**
 * The last item position a cursor may point at: the page after it must be one Atlas can be asked
 * for (pageNum ≤ MAX_PAGE_NUM) whatever `first` comes with it, 1 included (that page is position + 2).
 */
export const MAX_CURSOR_POSITION = MAX_PAGE_NUM - 2;

/**
 * A cursor: Atlas's `itemsPerPage`, `pageNum` and the index on that page, base64url-encoded so that
 * callers treat it as opaque.
 */
export function encodeCursor(itemsPerPage: number, pageNum: number, index: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${itemsPerPage}:${pageNum}:${index}`).toString('base64url');
}

/** The absolute position a cursor points at, or undefined for a cursor we did not make (or one past MAX_CURSOR_POSITION). */
export function decodeCursor(cursor: string): number | undefined {
  const text = /^[A-Za-z0-9_-]{1,100}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^atlas:v1:(\d{1,3}):(\d{1,9}):(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const [itemsPerPage, pageNum, index] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (itemsPerPage < 1 || itemsPerPage > MAX_ITEMS_PER_PAGE || pageNum < 1 || index >= itemsPerPage) return undefined;
  const position = (pageNum - 1) * itemsPerPage + index;
  return position > MAX_CURSOR_POSITION ? undefined : position;
}

/** Validates `first`/`after` (and refuses `last`/`before`: Atlas pages only forwards). */
export function parsePageArgs(args: {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}): PageArgs {
  if (args.last != null) throw new BadUserInputError('last', 'is not supported: page forwards with first/after');
  if (args.before != null) throw new BadUserInputError('before', 'is not supported: page forwards with first/after');
  const first = args.first ?? DEFAULT_FIRST;
  if (!Number.isInteger(first) || first < 1 || first > MAX_ITEMS_PER_PAGE) {
    throw new BadUserInputError(
      'first',
      `must be an integer from 1 to ${MAX_ITEMS_PER_PAGE} (Atlas's itemsPerPage bounds)`,
    );
  }
  if (args.after == null) return { first, afterPosition: -1 };
  const afterPosition = decodeCursor(args.after);
  if (afterPosition === undefined) throw new BadUserInputError('after', 'must be a cursor returned by this API');
  return { first, afterPosition };
}

/**
 * The Atlas pages that hold items `start … start+first-1`: one page when `start` falls on a page
 * boundary of size `first` (the usual case: a client that keeps `first`), two otherwise.
 */
export function planPages(start: number, first: number, includeCount: boolean): PageRequest[] {
  const pageNum = Math.floor(start / first) + 1;
  const pages = [{ pageNum, itemsPerPage: first, includeCount }];
  if (start % first !== 0) pages.push({ pageNum: pageNum + 1, itemsPerPage: first, includeCount: false });
  return pages;
}

/** A Relay connection built from the fetched Atlas pages. */
export function toConnection<T>(pages: Page<T>[], start: number, first: number) {
  const fetched = pages.flatMap((p) => p.items);
  const offsetInFetched = start - Math.floor(start / first) * first;
  const items = fetched.slice(offsetInFetched, offsetInFetched + first);
  const edges = items.map((node, i) => {
    const position = start + i;
    return { node, cursor: encodeCursor(first, Math.floor(position / first) + 1, position % first) };
  });
  const last = pages[pages.length - 1];
  const totalCount = pages[0]?.totalCount;
  const hasNextPage =
    fetched.length > offsetInFetched + first ||
    (last?.hasNext ?? false) ||
    (totalCount !== undefined && start + items.length < totalCount);
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: items.length > 0 && hasNextPage,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** Whether the field being resolved selects `name` directly or through fragments (e.g. `totalCount`). */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    set?.selections.some((selection) => {
      if (selection.kind === 'Field') return selection.name.value === name;
      if (selection.kind === 'InlineFragment') return visit(selection.selectionSet);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    }) ?? false;
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

/** Relay arguments as GraphQL hands them over. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * Resolves a forward Relay connection over an Atlas list: validates the arguments, asks Atlas for
 * `totalCount` only when it is selected, fetches the page(s) that hold the window, builds edges.
 */
export async function resolveConnection<T>(
  args: ConnectionArgs,
  info: GraphQLResolveInfo,
  fetchPage: (page: PageRequest) => Promise<Page<T>>,
) {
  const { first, afterPosition } = parsePageArgs(args);
  const start = afterPosition + 1;
  const pages = await Promise.all(planPages(start, first, selectsField(info, 'totalCount')).map(fetchPage));
  return toConnection(pages, start, first);
}

/** Connection type options: its name, description and a `totalCount` field (Atlas's estimate, asked for only when selected). */
export function connectionWithCount(typeName: string, items: string) {
  return {
    name: `${typeName}Connection`,
    description: `A page of ${items}.`,
    fields: <Parent extends object>(c: PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>) => ({
      totalCount: c.int({
        nullable: true,
        description: `How many ${items} there are in all: Atlas calls it an estimate. Asked of Atlas only when selected.`,
        // resolveConnection puts totalCount beside edges and pageInfo; Pothos types the parent without it.
        resolve: (connection) => (connection as { totalCount?: number }).totalCount ?? null,
      }),
    }),
  };
}
