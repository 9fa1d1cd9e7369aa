import { z } from 'zod';
import { linksSchema } from './links.js';

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
    results: z.array(item),
    totalCount: z.number().int().nonnegative().optional(),
  });
}

/** The query string of a page request, in the order Atlas writes it in its own links. */
export function pageQuery({ pageNum, itemsPerPage, includeCount }: PageRequest): string {
  return `?includeCount=${includeCount}&pageNum=${pageNum}&itemsPerPage=${itemsPerPage}`;
}
