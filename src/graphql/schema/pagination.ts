import { cursorToOffset, offsetToCursor } from '@pothos/plugin-relay';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { z } from 'zod';
import { MAX_ITEMS_PER_PAGE, MAX_PAGE_NUM, type PageRequest } from '../../atlas/pagination.js';
import type { Page } from '../../backups/backup-reader.js';
import type { BuilderTypes } from './builder.js';

/** `first` when the caller gives none: Atlas's own default page size. */
export const DEFAULT_FIRST = 100;

/**
 * The last item position a cursor may point at: the page after it must be one Atlas can be asked
 * for (pageNum ≤ MAX_PAGE_NUM) whatever `first` comes with it, 1 included (that page is position + 2).
 */
export const MAX_CURSOR_POSITION = MAX_PAGE_NUM - 2;

/** Longer text is no cursor of ours (the longest is 32 characters): refused before it is decoded. */
const MAX_CURSOR_LENGTH = 64;

/**
 * A cursor: the item's absolute position in the list and nothing else, as plugin-relay's offset
 * cursor (base64 of `OffsetConnection:<position>`), so that callers treat it as opaque.
 */
export const encodeCursor = (position: number): string => offsetToCursor(position);

/** The position a cursor points at, or undefined for a cursor we did not make (or one past MAX_CURSOR_POSITION). */
export function decodeCursor(cursor: string): number | undefined {
  if (cursor.length > MAX_CURSOR_LENGTH) return undefined;
  let position: number;
  try {
    position = cursorToOffset(cursor);
  } catch {
    return undefined; // not base64, or not an offset cursor
  }
  // Only the spelling encodeCursor makes: cursorToOffset's parseInt also takes `OffsetConnection:7abc`.
  if (!Number.isSafeInteger(position) || position < 0 || position > MAX_CURSOR_POSITION) return undefined;
  return encodeCursor(position) === cursor ? position : undefined;
}

const FORWARDS_ONLY = 'is not supported: page forwards with first/after';

/** The validators of the Relay arguments (declared with them in the builder's relay options). */
export const pageArgSchemas = {
  first: z.number().refine((n) => Number.isInteger(n) && n >= 1 && n <= MAX_ITEMS_PER_PAGE, {
    error: `must be an integer from 1 to ${MAX_ITEMS_PER_PAGE} (Atlas's itemsPerPage bounds)`,
  }),
  after: z.string().refine((cursor) => decodeCursor(cursor) !== undefined, {
    error: 'must be a cursor returned by this API',
  }),
  // Null or absent never reaches a validator: only a value is refused.
  last: z.never({ error: FORWARDS_ONLY }),
  before: z.never({ error: FORWARDS_ONLY }),
};

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
function toConnection<T>(pages: Page<T>[], start: number, first: number) {
  const fetched = pages.flatMap((p) => p.items);
  const offsetInFetched = start - Math.floor(start / first) * first;
  const items = fetched.slice(offsetInFetched, offsetInFetched + first);
  const edges = items.map((node, i) => ({ node, cursor: encodeCursor(start + i) }));
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
function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    set?.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    }) ?? false;
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

/** Relay arguments as the validators (pageArgSchemas) passed them. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * Resolves a forward Relay connection over an Atlas list: asks Atlas for `totalCount` only when it
 * is selected, fetches the page(s) that hold the window, builds edges.
 */
export async function resolveConnection<T>(
  args: ConnectionArgs,
  info: GraphQLResolveInfo,
  fetchPage: (page: PageRequest) => Promise<Page<T>>,
) {
  const first = args.first ?? DEFAULT_FIRST;
  // pageArgSchemas.after has checked that a given cursor decodes.
  const start = (args.after == null ? -1 : (decodeCursor(args.after) ?? -1)) + 1;
  const pages = await Promise.all(planPages(start, first, selectsField(info, 'totalCount')).map(fetchPage));
  return toConnection(pages, start, first);
}

/** Connection type options: its name, description and a `totalCount` field (Atlas's estimate, asked for only when selected). */
export function connectionWithCount(typeName: string, items: string) {
  return {
    name: `${typeName}Connection`,
    description: `A page of ${items}.`,
    fields: <Parent extends object>(c: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, Parent>) => ({
      totalCount: c.int({
        nullable: true,
        description: `How many ${items} there are in all: Atlas calls it an estimate. Asked of Atlas only when selected.`,
        // resolveConnection puts totalCount beside edges and pageInfo; Pothos types the parent without it.
        resolve: (connection) => (connection as { totalCount?: number }).totalCount ?? null,
      }),
    }),
  };
}

/** Edge type options: its name and description. */
export const edgeOptions = (typeName: string, items: string) => ({
  name: `${typeName}Edge`,
  description: `One of the ${items} and its cursor.`,
});
