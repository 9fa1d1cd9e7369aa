import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { parseRedisUrl } from '../../src/config/redis-url.js';

// REDIS_URL's three forms (docs/fleet.md "Redis deployments"): what each parses to, and the problems
// an invalid one reports at start-up — every one at once, none quoting the value (it may hold a password).

const problemsOf = (url: string) => {
  try {
    loadConfig({ REDIS_URL: url });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('REDIS_URL', () => {
  it('one server: kept as it is, for ioredis to read', () => {
    for (const url of [
      'redis://cache:6379/2',
      'rediss://:p%40ss@cache.example:6380',
      'redis://127.0.0.1:6379?family=6',
    ])
      expect(parseRedisUrl(url)).toEqual({ kind: 'server', url });
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379' }).redis?.url).toBe('redis://cache:6379');
  });

  it('Sentinel: the sentinels (26379 by default), the master name, the database, both sets of credentials', () => {
    expect(
      parseRedisUrl(
        'redis+sentinel://app:s%3Acret@s1.internal,s2.internal:26380,[::1]:26381/my%20master/3?sentinel_username=watch&sentinel_password=sent%21nel',
      ),
    ).toEqual({
      kind: 'sentinel',
      tls: false,
      username: 'app',
      password: 's:cret',
      sentinels: [
        { host: 's1.internal', port: 26379 },
        { host: 's2.internal', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      name: 'my master',
      db: 3,
      sentinelUsername: 'watch',
      sentinelPassword: 'sent!nel',
    });
    expect(parseRedisUrl('rediss+sentinel://:pw@s1/mymaster')).toEqual({
      kind: 'sentinel',
      tls: true,
      password: 'pw',
      sentinels: [{ host: 's1', port: 26379 }],
      name: 'mymaster',
      db: 0,
    });
  });

  it('Cluster: the seed nodes (6379 by default) and the credentials of every node', () => {
    expect(parseRedisUrl('rediss+cluster://default:pw@n1.internal,n2.internal:7000')).toEqual({
      kind: 'cluster',
      tls: true,
      username: 'default',
      password: 'pw',
      nodes: [
        { host: 'n1.internal', port: 6379 },
        { host: 'n2.internal', port: 7000 },
      ],
    });
    expect(parseRedisUrl('redis+cluster://n1/')).toEqual({
      kind: 'cluster',
      tls: false,
      nodes: [{ host: 'n1', port: 6379 }],
    });
  });

  it('invalid: a typed configuration error naming every problem, never the value', () => {
    const secret = 'hunter2-secret';
    const cases: [string, string[]][] = [
      [`memcached://:${secret}@h`, ['REDIS_URL must be a redis://, rediss://, redis+sentinel://']],
      [`redis-sentinel://:${secret}@h/mymaster`, ['REDIS_URL must be a redis://']],
      [`redis+sentinel://:${secret}@h1`, ['REDIS_URL redis+sentinel:// needs the master name as its path']],
      [
        `redis+sentinel://:${secret}@h1:99999,/m/x?timeout=1`,
        [
          'REDIS_URL sentinel node 1 must be host[:port]',
          'REDIS_URL sentinel node 2 must be host[:port]',
          'REDIS_URL redis+sentinel:// database (after the master name) must be a number',
          'REDIS_URL redis+sentinel:// takes only sentinel_username and sentinel_password (timeout given)',
        ],
      ],
      [
        `redis+cluster://:${secret}@h1,h2/1?db=1`,
        ['REDIS_URL redis+cluster:// takes no path', 'REDIS_URL redis+cluster:// takes no parameter (db given)'],
      ],
      [`redis+cluster://:%E0%A4%A@h1`, ['REDIS_URL has a badly percent-encoded user or password']],
    ];
    for (const [url, expected] of cases) {
      const problems = problemsOf(url);
      expect(problems).toHaveLength(expected.length);
      expected.forEach((start, i) => expect(problems[i]).toContain(start));
      expect(problems.join('\n')).not.toContain(secret);
    }
    expect(() => parseRedisUrl('redis+cluster://')).toThrow(/cluster node 1 must be host/);
  });

  it('one server: a URL ioredis could not use is refused at start, each problem named, never the value', () => {
    const secret = 's3cret';
    const cases: [string, string[]][] = [
      [`redis://user:${secret}@127.0.0.1:99999`, ['REDIS_URL host must be host[:port] or [IPv6][:port]']],
      [`redis://:${secret}@127.0.0.1:0`, ['REDIS_URL host must be']],
      [`rediss://:${secret}@[::1:6379`, ['REDIS_URL host must be']],
      [`redis://:${secret}@`, ['REDIS_URL host must be']],
      [`redis://:${secret}%zz@127.0.0.1:6379`, ['REDIS_URL has a badly percent-encoded user or password']],
      [`redis://us%E0er:${secret}@cache/db1`, ['REDIS_URL has a badly percent-encoded user', 'REDIS_URL database']],
      [`redis://:${secret}@h:1:2/0`, ['REDIS_URL host must be']],
    ];
    for (const [url, expected] of cases) {
      const problems = problemsOf(url);
      expect(problems, url).toHaveLength(expected.length);
      expected.forEach((start, i) => expect(problems[i]).toContain(start));
      expect(problems.join('\n')).not.toContain(secret);
      // What passes the check, ioredis can read: what fails it would have failed later, unnamed.
      expect(() => parseRedisUrl(url)).toThrow(/^REDIS_URL /);
    }
    for (const url of [
      'redis://[::1]:6379/0',
      'redis://u:p%25w@h_1.internal',
      'redis://cache:65535/',
      'redis://h?db=2',
    ])
      expect(problemsOf(url), url).toEqual([]);
  });

  it('a `+` is a `+` in sentinel_password as in the password before `@`; `%2B` too', () => {
    for (const written of ['pa+ss', 'pa%2Bss']) {
      const topology = parseRedisUrl(
        `redis+sentinel://:${written}@sentinel-1:26379/mymaster?sentinel_username=a+b&sentinel_password=${written}`,
      );
      expect(topology).toMatchObject({ kind: 'sentinel', password: 'pa+ss', sentinelPassword: 'pa+ss' });
      expect(topology).toMatchObject({ sentinelUsername: 'a+b' });
    }
    expect(problemsOf('redis+sentinel://s1/m?sentinel_password=%zz')).toEqual([
      'REDIS_URL has a badly percent-encoded parameter',
    ]);
  });
});
