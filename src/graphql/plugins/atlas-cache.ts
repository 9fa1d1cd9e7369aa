import type { Plugin } from 'graphql-yoga';
import { recordFor } from '../request-record.js';

/**
 * How fresh a response is (docs/fleet.md "Record cache"): a response whose execution read Atlas
 * records through the record cache carries `extensions.atlasCache` = `{ hits, misses, maxAgeSeconds }` —
 * reads answered without an Atlas call of this request (from the cache, or another request's call),
 * reads that called Atlas, and the age in whole seconds of the oldest answer used (HTTP `Age`
 * style; 0 when everything was read now). Nothing is added when no read went through the cache.
 */
export function atlasCacheExtension(): Plugin {
  return {
    onResultProcess(payload) {
      const { request, result } = payload;
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      const cache = recordFor(request).cache;
      if (!cache) return;
      const atlasCache = { hits: cache.hits, misses: cache.misses, maxAgeSeconds: Math.floor(cache.maxAgeMs / 1000) };
      payload.setResult({ ...result, extensions: { ...result.extensions, atlasCache } });
    },
  };
}
