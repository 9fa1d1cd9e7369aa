import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderGraphiQL, type Plugin } from 'graphql-yoga';

/** Where GraphiQL's files are served from, instead of Yoga's default CDN (unpkg.com). */
export const GRAPHIQL_ASSET_PATH = '/graphiql/assets/';

/** The vendored files of `@graphql-yoga/graphiql/dist` that the page loads, with their content types. */
const ASSETS: Record<string, string> = {
  'graphiql.css': 'text/css; charset=utf-8',
  'yoga-graphiql.umd.js': 'text/javascript; charset=utf-8',
  'monacoeditorwork/editor.worker.bundle.js': 'text/javascript; charset=utf-8',
  'monacoeditorwork/json.worker.bundle.js': 'text/javascript; charset=utf-8',
  'monacoeditorwork/graphql.worker..bundle.js': 'text/javascript; charset=utf-8',
};

/** The vendored bundle (see src/vendor/graphiql/README.md). */
const VENDOR = new URL('../vendor/graphiql/', import.meta.url);

/**
 * Serves GraphiQL from this server rather than from unpkg.com, so it works where browsers cannot
 * reach the internet (and no third-party code runs on the page). Undefined when the vendored
 * bundle is missing: Yoga's CDN page is used then.
 */
export function localGraphiQL(): { plugin: Plugin; render: typeof renderGraphiQL } | undefined {
  if (!existsSync(new URL('yoga-graphiql.umd.js', VENDOR))) return undefined;
  const cache = new Map<string, Promise<Buffer>>();
  return {
    render: (options) => {
      // This bundle pre-fills the editor from `query`; Yoga's options call it `defaultQuery`.
      const withQuery: typeof options & { query?: string } = { ...options, query: options?.defaultQuery };
      return renderGraphiQL(withQuery)
        .replace(/https:\/\/unpkg\.com\/@graphql-yoga\/graphiql@[^/]+\/dist\//g, GRAPHIQL_ASSET_PATH)
        .replace(/<link rel=icon href=[^>]*>/, '');
    },
    plugin: {
      // Yoga declares endResponse as a method: call it on its payload rather than destructure it.
      onRequest(payload) {
        const { url, fetchAPI } = payload;
        if (!url.pathname.startsWith(GRAPHIQL_ASSET_PATH)) return;
        const name = url.pathname.slice(GRAPHIQL_ASSET_PATH.length);
        const type = ASSETS[name];
        if (!type) {
          payload.endResponse(new fetchAPI.Response('Not found', { status: 404 }));
          return;
        }
        let file = cache.get(name);
        if (!file) {
          file = readFile(fileURLToPath(new URL(name, VENDOR)));
          cache.set(name, file);
        }
        return file.then((body) => {
          payload.endResponse(
            new fetchAPI.Response(new Uint8Array(body), {
              headers: { 'content-type': type, 'cache-control': 'public, max-age=86400' },
            }),
          );
        });
      },
    },
  };
}
