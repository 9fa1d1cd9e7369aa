import { MAX_ITEMS_PER_PAGE, type PageRequest } from '../atlas/pagination.js';
import type { Page } from './backup-reader.js';

// How `latestSnapshot` finds a replica set's newest completed snapshot in at most two calls.
//
// `listBackupSnapshots` pages forwards only, and the order of its items is not documented. The one
// recorded dedicated list has a single item; the simulator serves creation order, oldest first,
// like the recorded Flex lists and export buckets (src/simulator/cloud-backup-routes.ts). So the
// newest snapshot may sit at either end of the list: the first call asks for the first
// LATEST_WINDOW items with the count; when that is the whole list (the usual case), it is done.
// Otherwise a second call asks for one page that holds at least the last LATEST_WINDOW items, and
// the newest completed snapshot is picked by `createdAt` among both ends, whichever order Atlas uses.

/** Items read at each end of a snapshot list. At most 2 × 50 + 49 snapshot bodies (about 110 KB) per cluster. */
export const LATEST_WINDOW = 50;

/** The first call: the list's head with Atlas's count. */
export const headPage = (window = LATEST_WINDOW): PageRequest => ({
  pageNum: 1,
  itemsPerPage: window,
  includeCount: true,
});

/**
 * The one page (pages are aligned at multiples of their size) that holds items `total - window …
 * total - 1`: the smallest page size from `window` up with no page boundary inside that range. For
 * window 50 the size never passes 99. Undefined when the head already held the whole list.
 */
export function tailPage(head: Page<unknown>, window = LATEST_WINDOW): PageRequest | undefined {
  // Atlas sends the count when asked; without one there is no tail to plan.
  const total = head.totalCount;
  if (total === undefined || total <= head.items.length) return undefined;
  const first = Math.max(0, total - window);
  for (let size = window; size <= MAX_ITEMS_PER_PAGE; size += 1) {
    if (Math.floor(first / size) === Math.floor((total - 1) / size)) {
      return { pageNum: Math.floor(first / size) + 1, itemsPerPage: size, includeCount: false };
    }
  }
  return { pageNum: Math.floor(first / MAX_ITEMS_PER_PAGE) + 1, itemsPerPage: MAX_ITEMS_PER_PAGE, includeCount: false };
}
