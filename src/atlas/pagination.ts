import { z } from 'zod';
import { linksSchema } from './links.js';
import { atlasArray } from './wire-fields.js';

/** Atlas's `itemsPerPage` bounds (spec: minimum 1, maximum 500). */
export const MAX_ITEMS_PER_PAGE = 500;

/**
 * The largest `pageNum` the client sends: nine digits, as the list operations' path pattern allows
 * (operation.ts). Cursors are bounded so that no page planned after one goes past it.
 */
export const MAX_PAGE_NUM = 999_999_999;

/** One page request of a list operation. */
export interface PageRequest {
  /** 1-based, at most MAX_PAGE_NUM. */
  pageNum: number;
  /** 1–500. */
  itemsPerPage: number;
  /** Ask Atlas for `totalCount` (it costs Atlas a count). */
  includeCount: boolean;
}

/** `PaginatedApiAtlas…View`: `{ links, results, totalCount? }`; `totalCount` is an estimate. */
export function paginatedSchema<Item extends z.ZodType>(item: Item) {
  return z.object({
    links: linksSchema,
    results: atlasArray(item, MAX_ITEMS_PER_PAGE),
    totalCount: z.number().int().nonnegative().optional(),
  });
}

/** The query string of a page request, in the order Atlas writes it in its own links. */
export function pageQuery({ pageNum, itemsPerPage, includeCount }: PageRequest): string {
  return `?includeCount=${includeCount}&pageNum=${pageNum}&itemsPerPage=${itemsPerPage}`;
}

/**
 * The problem of a list page holding more items than the `itemsPerPage` its request asked for
 * (Atlas never sends more), found before any item is validated; undefined for any other body.
 */
export function pageOverflowProblem(json: unknown, path: string): string | undefined {
  const asked = /[?&]itemsPerPage=(\d+)/.exec(path)?.[1];
  if (asked === undefined || typeof json !== 'object' || json === null || !('results' in json)) return undefined;
  const { results } = json;
  if (!Array.isArray(results) || results.length <= Number(asked)) return undefined;
  return `results: ${results.length} items, more than the ${asked} asked for (itemsPerPage)`;
}
