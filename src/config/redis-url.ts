import { z } from 'zod';

// REDIS_URL in its three forms (docs/fleet.md "Redis deployments"): one server (`redis://`, `rediss://`,
// given to ioredis as it is), a Sentinel set (`redis+sentinel://`) and a Cluster (`redis+cluster://`).
// The two multi-host forms follow the `redis+sentinel` grammar of redis-sentinel-url, redisvl and
// Prefect (sentinels, then the master's name as the path) and Spring's comma-separated node lists.
// A problem never quotes the value: it may hold a password.

/** One Sentinel or Cluster node as given in the URL. */
export interface RedisNode {
  host: string;
  port: number;
}

/** Credentials and TLS of the data nodes (the master and its replicas, or the cluster's nodes). */
interface DataNodeAccess {
  /** `rediss+…`: TLS to every node (and to the sentinels). */
  tls: boolean;
  username?: string;
  password?: string;
}

/** Where the shared Redis is, as REDIS_URL names it. */
export type RedisTopology =
  | { kind: 'server'; url: string }
  | (DataNodeAccess & {
      kind: 'sentinel';
      sentinels: RedisNode[];
      /** The master's name in the sentinels' configuration (`sentinel monitor <name> …`). */
      name: string;
      db: number;
      sentinelUsername?: string;
      sentinelPassword?: string;
    })
  | (DataNodeAccess & { kind: 'cluster'; nodes: RedisNode[] });

const DEFAULT_PORT = { server: 6379, sentinel: 26379, cluster: 6379 } as const;

/** `host`, `host:port`, `[v6]` or `[v6]:port`; undefined when not one of those. */
function nodeOf(text: string, defaultPort: number): RedisNode | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([\w.-]+))(?::(\d{1,5}))?$/.exec(text);
  if (!match) return undefined;
  const port = match[3] === undefined ? defaultPort : Number(match[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: match[1] ?? match[2]!, port };
}

/** Percent-decoded text, or undefined when the encoding is broken. */
function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * The query's `key=value` pairs, percent-decoded like the userinfo (a `+` stays a `+`: not read as a
 * form, where it would be a space); undefined when one is badly percent-encoded.
 */
function paramsOf(query: string): [string, string][] | undefined {
  const pairs: [string, string][] = [];
  for (const item of query.split('&').filter(Boolean)) {
    const eq = item.indexOf('=');
    const [key, value] = eq < 0 ? [decoded(item), ''] : [decoded(item.slice(0, eq)), decoded(item.slice(eq + 1))];
    if (key === undefined || value === undefined) return undefined;
    pairs.push([key, value]);
  }
  return pairs;
}

/** The parts of `scheme://[userinfo@]hosts[/path][?query]`; the userinfo ends at the last `@` of the authority. */
function split(value: string) {
  const match = /^([a-z+]+):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?$/i.exec(value);
  if (!match) return undefined;
  const [, scheme, authority, path, query] = match as unknown as [string, string, string, string, string | undefined];
  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? undefined : authority.slice(0, at);
  const colon = userinfo?.indexOf(':') ?? -1;
  return {
    scheme: scheme.toLowerCase(),
    username: userinfo === undefined ? '' : colon < 0 ? userinfo : userinfo.slice(0, colon),
    password: colon < 0 ? '' : userinfo!.slice(colon + 1),
    hosts: authority.slice(at + 1),
    path,
    params: paramsOf(query ?? ''),
  };
}

type UrlParts = NonNullable<ReturnType<typeof split>>;

const SCHEMES = 'redis://, rediss://, redis+sentinel://, rediss+sentinel://, redis+cluster:// or rediss+cluster://';
const BAD_USERINFO = 'has a badly percent-encoded user or password';

/**
 * What keeps ioredis from using a one-server URL: it reads it with `new URL`, percent-decodes the userinfo
 * and selects the path's database (its query parameters are its own connection options).
 */
function serverProblems(parts: UrlParts, value: string): string[] {
  const problems: string[] = [];
  if (!nodeOf(parts.hosts, DEFAULT_PORT.server))
    problems.push('host must be host[:port] or [IPv6][:port], the port 1–65535');
  if (decoded(parts.username) === undefined || decoded(parts.password) === undefined) problems.push(BAD_USERINFO);
  if (!/^(?:\/\d{0,5})?$/.test(parts.path)) problems.push('database (the path) must be a number');
  if (problems.length === 0 && !URL.canParse(value)) problems.push('is not a valid URL');
  return problems;
}

/** Parses a multi-host REDIS_URL; pushes a problem (never the value) and answers undefined when it is not valid. */
function multiHost(parts: UrlParts | undefined, problems: string[]): RedisTopology | undefined {
  const kind = parts && /^rediss?\+(sentinel|cluster)$/.exec(parts.scheme)?.[1];
  if (!parts || (kind !== 'sentinel' && kind !== 'cluster')) {
    problems.push(`must be a ${SCHEMES} URL`);
    return undefined;
  }
  const tls = parts.scheme.startsWith('rediss');
  const hosts = parts.hosts.split(',').map((text) => nodeOf(text.trim(), DEFAULT_PORT[kind]));
  hosts.forEach((node, i) => {
    if (!node) problems.push(`${kind} node ${i + 1} must be host[:port] or [IPv6][:port]`);
  });
  const [username, password] = [decoded(parts.username), decoded(parts.password)];
  if (username === undefined || password === undefined) problems.push(BAD_USERINFO);
  const params = parts.params ?? [];
  if (!parts.params) problems.push('has a badly percent-encoded parameter');
  const access = { tls, ...(username ? { username } : {}), ...(password ? { password } : {}) };
  const nodes = hosts.filter((node): node is RedisNode => node !== undefined);
  if (kind === 'cluster') {
    if (parts.path !== '' && parts.path !== '/')
      problems.push('redis+cluster:// takes no path (a cluster has database 0 only)');
    for (const [name] of params) problems.push(`redis+cluster:// takes no parameter (${name} given)`);
    return { kind, nodes, ...access };
  }
  const [, name = '', db = '0', extra] = parts.path.split('/');
  const master = decoded(name);
  if (!master || extra !== undefined)
    problems.push('redis+sentinel:// needs the master name as its path: …/<name>[/<db>]');
  if (!/^\d{1,5}$/.test(db)) problems.push('redis+sentinel:// database (after the master name) must be a number');
  const sentinelAuth: { sentinelUsername?: string; sentinelPassword?: string } = {};
  for (const [key, text] of params) {
    if (key === 'sentinel_username') sentinelAuth.sentinelUsername = text;
    else if (key === 'sentinel_password') sentinelAuth.sentinelPassword = text;
    else problems.push(`redis+sentinel:// takes only sentinel_username and sentinel_password (${key} given)`);
  }
  return { kind, sentinels: nodes, name: master ?? '', db: Number(db), ...access, ...sentinelAuth };
}

/** Where `value` says Redis is, and what is wrong with it (nothing: valid). */
function topologyOf(value: string): { topology: RedisTopology; problems: string[] } {
  const text = value.trim();
  const parts = split(text);
  if (parts && /^rediss?$/.test(parts.scheme))
    return { topology: { kind: 'server', url: text }, problems: serverProblems(parts, text) };
  const problems: string[] = [];
  const topology = multiHost(parts, problems) ?? { kind: 'server', url: text };
  return { topology, problems };
}

/** The REDIS_URL variable: any of the three forms, checked at start-up, one issue per problem. */
export const redisUrlVariable = z.string().superRefine((value, ctx) => {
  for (const message of topologyOf(value).problems) ctx.addIssue({ code: 'custom', message });
});

/** Where REDIS_URL (already checked by `redisUrlVariable`) says Redis is; throws on an invalid one. */
export function parseRedisUrl(value: string): RedisTopology {
  const { topology, problems } = topologyOf(value);
  if (problems.length > 0) throw new Error(`REDIS_URL ${problems.join('; ')}`);
  return topology;
}
