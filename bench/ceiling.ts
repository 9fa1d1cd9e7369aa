import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { digestGetter } from './digest-get.js';

// The benchmark's ceiling: the least a server can do for the same upstream GET — one keep-alive
// undici pool, the same digest auth with nonce reuse, the body piped back. GET /<snapshotId>.
const base = process.env.CEILING_PATH_PREFIX!;
const get = digestGetter(
  new URL(process.env.CEILING_UPSTREAM!).origin,
  process.env.CEILING_PUBLIC_KEY!,
  process.env.CEILING_PRIVATE_KEY!,
);

/** Answers one request by passing it through to the upstream, like the server but with nothing in between. */
async function passThrough(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = `${base}${(req.url ?? '/').slice(1)}`;
  try {
    const { status, body } = await get(path);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
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
