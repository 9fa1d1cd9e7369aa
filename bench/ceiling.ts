import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { DigestAuth } from '../src/atlas/auth.js';
import { Secret } from '../src/support/secret.js';

// The benchmark's ceiling: the least a server can do for the same upstream GET — one keep-alive
// undici pool, the same digest auth with nonce reuse, the body piped back. GET /<snapshotId>.
const upstream = new URL(process.env.CEILING_UPSTREAM!);
const base = process.env.CEILING_PATH_PREFIX!;
const auth = new DigestAuth(process.env.CEILING_PUBLIC_KEY!, new Secret(process.env.CEILING_PRIVATE_KEY!));
const pool = new Pool(upstream.origin, { connections: 128, keepAliveTimeout: 30_000 });

/** Answers one request by passing it through to the upstream, like the server but with nothing in between. */
async function passThrough(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = `${base}${(req.url ?? '/').slice(1)}`;
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const authorization = await auth.authorize('GET', path);
      const response = await pool.request({
        method: 'GET',
        path,
        headers: { accept: 'application/vnd.atlas.2023-01-01+json', ...(authorization ? { authorization } : {}) },
      });
      const body = await response.body.text();
      const wwwAuthenticate = response.headers['www-authenticate'];
      if (
        auth.onResponse(
          response.statusCode,
          Array.isArray(wwwAuthenticate) ? wwwAuthenticate[0] : wwwAuthenticate,
          authorization,
        ) &&
        attempt === 0
      )
        continue;
      res.writeHead(response.statusCode, { 'content-type': 'application/json' });
      res.end(body);
      return;
    }
  } catch {
    res.writeHead(502);
    res.end();
  }
}

const server = createServer((req, res) => void passThrough(req, res));
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ceiling listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
