/** What this server answers: exact paths, and path prefixes (static assets). */
export interface Routes {
  /** Exact paths, e.g. `/graphql` (the one path GraphQL is served on) and `/health`. */
  exact: readonly string[];
  /** Path prefixes, e.g. `/graphiql/assets/`. */
  prefixes: readonly string[];
}

/**
 * Where an HTTP request goes before Yoga sees it: its target rewritten to origin form, a 400 for a
 * target that is not a path, a 404 for a path that is not one of `routes`.
 *
 * Yoga matches its endpoints loosely (`request.url.endsWith('/graphql')`, so `/x/graphql`,
 * `/graphql/` or `/health?/graphql` would execute GraphQL): routing here makes the path exact, so
 * that the rest of the server, caller authentication included, sees GraphQL on one path only. The
 * path is compared as the WHATWG URL parser leaves it (as Yoga will parse it): percent-encodings
 * are not decoded and case matters, so `/%67raphql` and `/GraphQL` are other paths; dot segments are
 * resolved, so `/x/../graphql` is `/graphql`. A request line in absolute form
 * (`POST http://host/graphql HTTP/1.1`, RFC 9112 §3.2.2) keeps only its path and query.
 */
export function routeRequest(target: string, routes: Routes): { status: 400 | 404 } | { target: string } {
  let url: URL;
  try {
    if (target.startsWith('/')) url = new URL(target, 'http://localhost');
    else if (/^https?:\/\//i.test(target)) url = new URL(target);
    else return { status: 400 };
  } catch {
    return { status: 400 };
  }
  const { pathname } = url;
  if (!routes.exact.includes(pathname) && !routes.prefixes.some((prefix) => pathname.startsWith(prefix)))
    return { status: 404 };
  return { target: `${pathname}${url.search}` };
}
