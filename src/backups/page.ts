import type { AtlasList } from './routed-reads.js';
import type { Page } from './backup-reader.js';

/** An Atlas list body as a Page of records: `hasNext` from Atlas's `next` link. */
export function toPage<Item, T>(body: AtlasList<Item>, map: (item: Item) => T): Page<T> {
  return {
    items: body.results.map(map),
    ...(body.totalCount === undefined ? {} : { totalCount: body.totalCount }),
    hasNext: body.links.some((link) => link.rel === 'next'),
  };
}
