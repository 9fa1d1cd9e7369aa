import { randomBytes } from 'node:crypto';

/** Ids and secrets for resources the writes create. */

let counter = randomBytes(3).readUIntBE(0, 3);

/**
 * A new 24-hex id shaped like a MongoDB ObjectId, as Atlas's are: 4 bytes of seconds (of `now`, the
 * simulator clock), 5 random bytes, a 3-byte counter. Unique within a process.
 */
export function newObjectId(now: number): string {
  counter = (counter + 1) % 0x1000000;
  const seconds = Math.floor(now / 1000) % 2 ** 32;
  return seconds.toString(16).padStart(8, '0') + randomBytes(5).toString('hex') + counter.toString(16).padStart(6, '0');
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random letters and digits: the secret token of a download URL (README §10.6 item 8). */
export function randomToken(length: number): string {
  return [...randomBytes(length)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
}
