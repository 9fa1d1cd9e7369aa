import { isIPv6 } from 'node:net';

/** What this server answers: exact paths, and path prefixes (static assets). */
export interface Routes {
  /** Exact paths, e.g. `/graphql` (the one path GraphQL is served on) and `/health`. */
  exact: readonly string[];
  /** Path prefixes, e.g. `/graphiql/assets/`. */
  prefixes: readonly string[];
}

/** What the router hands Yoga beside the request (Yoga's server context): the path it approved. */
export interface RoutedContext {
  /** The path routeRequest approved, e.g. `/graphql`; absent for a request that did not come through it. */
  routedPath: string;
  /** The client's address (the peer of the connection): who a caller is when callers do not authenticate. */
  clientAddress: string;
  /** Runs `done` once the response has been written to the socket, or the connection has closed. */
  whenSent: (done: () => void) => void;
}

/** The parts of a Node request the router reads. */
interface RoutedRequest {
  url?: string | undefined;
  rawHeaders: readonly string[];
}

/** A DNS name is at most 253 characters; with `:` and a port, 259. */
const MAX_HOST_LENGTH = 259;
/** RFC 3986 host [":" port]: an IP-literal (`[…]`) or a reg-name (IPv4 included), then an optional port. */
const HOST = /^(?:\[(?<literal>[0-9A-Fa-f:.]+)\]|(?:[\w\-.~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+)(?::(?<port>\d{0,5}))?$/;

/**
 * Whether a Host header value is a host and optional port as RFC 3986 §3.2.2–3.2.3 spells them
 * (an IP-literal holding an IPv6 address, or a non-empty reg-name) that the WHATWG URL parser accepts
 * as a host too. Nothing else may stand there: Yoga rebuilds the request URL as `http://${Host}${target}`,
 * so a `/`, `?`, `#` or `@` in Host would move the path Yoga sees away from the one routed here.
 */
function isValidHost(value: string): boolean {
  if (value.length > MAX_HOST_LENGTH) return false;
  const match = HOST.exec(value);
  if (!match) return false;
  const { literal, port } = match.groups ?? {};
  if (literal !== undefined && !isIPv6(literal)) return false;
  if (port !== undefined && port !== '' && Number(port) > 65_535) return false;
  return URL.canParse(`http://${value}/`);
}

/** The Host header lines of a request: RFC 9112 §3.2 allows exactly one (HTTP/1.0 may send none). */
function hostLines(rawHeaders: readonly string[]): string[] {
  const hosts: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    if (rawHeaders[i]!.toLowerCase() === 'host') hosts.push(rawHeaders[i + 1]!);
  return hosts;
}

/** The request target as a URL, or undefined when it is neither origin form nor absolute form. */
function targetUrl(target: string): URL | undefined {
  try {
    if (target.startsWith('/')) return new URL(target, 'http://localhost');
    if (/^https?:\/\//i.test(target)) return new URL(target);
  } catch {
    return undefined;
  }
  return undefined;
}

/** The path of `http://${host}${target}`, the URL Yoga builds for a request (undefined when it does not parse). */
const pathSeenByYoga = (host: string, target: string): string | undefined =>
  URL.canParse(`http://${host}${target}`) ? new URL(`http://${host}${target}`).pathname : undefined;

/**
 * Where an HTTP request goes before Yoga sees it: its target rewritten to origin form, a 400 for a
 * target that is not a path or a Host header that is not one host[:port], a 404 for a path that is
 * not one of `routes`.
 *
 * Yoga matches its endpoints loosely (`request.url.endsWith('/graphql')`, so `/x/graphql`,
 * `/graphql/` or `/health?/graphql` would execute GraphQL): routing here makes the path exact, so
 * that the rest of the server, caller authentication included, sees GraphQL on one path only. The
 * path is compared as the WHATWG URL parser leaves it (as Yoga will parse it): percent-encodings
 * are not decoded and case matters, so `/%67raphql` and `/GraphQL` are other paths; dot segments are
 * resolved, so `/x/../graphql` is `/graphql`. A request line in absolute form
 * (`POST http://host/graphql HTTP/1.1`, RFC 9112 §3.2.2) keeps only its path and query. Yoga builds
 * its URL from the Host header and the target: the path it will see must be the path approved here.
 */
export function routeRequest(
  request: RoutedRequest,
  routes: Routes,
): { status: 400 | 404 } | { target: string; path: string } {
  const url = targetUrl(request.url ?? '');
  if (!url) return { status: 400 };
  const hosts = hostLines(request.rawHeaders);
  if (hosts.length > 1 || (hosts.length === 1 && !isValidHost(hosts[0]!))) return { status: 400 };
  const { pathname: path } = url;
  const target = `${path}${url.search}`;
  // Defence in depth: the path Yoga will build from Host and target is the one approved here.
  if (hosts.length === 1 && pathSeenByYoga(hosts[0]!, target) !== path) return { status: 400 };
  if (!routes.exact.includes(path) && !routes.prefixes.some((prefix) => path.startsWith(prefix)))
    return { status: 404 };
  return { target, path };
}
