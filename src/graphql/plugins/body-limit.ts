import type { Plugin } from 'graphql-yoga';
import { requestError } from '../errors.js';

const tooLarge = (limit: number) => requestError('PAYLOAD_TOO_LARGE', `Request body is larger than ${limit} bytes.`);

/** Reads at most `limit` bytes of a body stream, whatever Content-Length claimed (or if it was chunked). */
async function readLimited(body: ReadableStream<Uint8Array>, limit: number): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Request bodies over `limit` bytes get HTTP 413 before any parsing; chunked ones are counted as they arrive. */
export function bodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (!request.body || !requestParser) return;
      const length = request.headers.get('content-length');
      if (length !== null) {
        // Node's HTTP parser never delivers more body than Content-Length says: the header is enough.
        if (Number(length) > limit) throw tooLarge(limit);
        return;
      }
      setRequestParser(async (original) => {
        const bytes = await readLimited(original.body!, limit);
        return requestParser(
          new Request(original.url, {
            method: original.method,
            headers: original.headers,
            body: new Uint8Array(bytes),
          }),
        );
      });
    },
  };
}
