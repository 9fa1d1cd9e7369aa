import { createHash } from 'node:crypto';
import { Secret } from '../support/secret.js';
import { isScope, SCOPES, withRead, type Scope } from './scopes.js';
import { list } from './variable-types.js';

// AUTH_API_KEYS: comma-separated entries `[name@]key-or-sha256:<hex>[ scope scope …]`. Keys are kept
// only as SHA-256 digests; a problem names the entry by its position, never by its key.

/** One static caller key: who it is, its SHA-256 digest, and the scopes it carries (`backups:read` always). */
export interface ApiKey {
  /** The name before `@`, else the first 16 hex digits of the digest: what the audit log shows. */
  readonly name: string;
  readonly digest: Buffer;
  readonly scopes: readonly Scope[];
}

/** A key's name: letters, digits, `-`, `_`, `.`, at most 64. */
const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/i;
/** A word that is plainly a misspelt scope (so it can be quoted: it cannot be a key someone meant). */
const SCOPE_LIKE = /^backups:[a-z_-]{1,32}$/;

/** The first 16 hex digits of a digest: an identity, not a secret (the door names callers so too). */
export const digestPrefix = (digest: Buffer) => digest.toString('hex').slice(0, 16);

/** `sha256:<64 hex>` is a digest already; anything else is a key to hash (and to scrub from logs). */
const keyDigest = (key: string) =>
  DIGEST.test(key) ? Buffer.from(key.slice(7), 'hex') : createHash('sha256').update(new Secret(key).reveal()).digest();

/** One entry as its key, or the problem with it (`at`: "entry 2"). */
function parseEntry(entry: string, at: string): ApiKey | string {
  const [first = '', ...words] = entry.split(/\s+/);
  const separator = first.indexOf('@');
  const named = separator > 0 && NAME.test(first.slice(0, separator));
  if (separator >= 0 && !named) return `${at}: the name before "@" must be 1 to 64 letters, digits, "-", "_" or "."`;
  const key = named ? first.slice(separator + 1) : first;
  if (key === '') return `${at}: no key after the name`;
  const unknown = words.findIndex((word) => !isScope(word));
  if (unknown >= 0) {
    const word = words[unknown]!;
    const what = SCOPE_LIKE.test(word) ? `"${word}"` : `its word ${unknown + 2}`;
    return `${at}: ${what} is not a scope (scopes: ${Object.keys(SCOPES).join(', ')}; separate entries with commas)`;
  }
  const digest = keyDigest(key);
  return { name: named ? first.slice(0, separator) : digestPrefix(digest), digest, scopes: withRead(words as Scope[]) };
}

/** Every entry parsed, and every problem: a bad entry, a name or a key given twice. */
export function parseApiKeys(entries: readonly string[]): { keys: ApiKey[]; problems: string[] } {
  const keys: ApiKey[] = [];
  const problems: string[] = [];
  const names = new Map<string, number>();
  const digests = new Map<string, number>();
  entries.forEach((entry, index) => {
    const at = `entry ${index + 1}`;
    const parsed = parseEntry(entry, at);
    if (typeof parsed === 'string') return void problems.push(parsed);
    const sameName = names.get(parsed.name);
    const sameKey = digests.get(parsed.digest.toString('hex'));
    if (sameKey !== undefined) problems.push(`${at}: the same key as entry ${sameKey} (one key, one set of scopes)`);
    else if (sameName !== undefined) problems.push(`${at}: the name "${parsed.name}" of entry ${sameName} again`);
    names.set(parsed.name, index + 1);
    digests.set(parsed.digest.toString('hex'), index + 1);
    keys.push(parsed);
  });
  return { keys, problems };
}

/** AUTH_API_KEYS as its keys; each problem is an issue of the variable (so the config refuses to start). */
export const apiKeyList = list.transform((entries, ctx) => {
  const { keys, problems } = parseApiKeys(entries);
  // The input is the variable's raw value: keys. An issue carries only its message.
  for (const message of problems) ctx.issues.push({ code: 'custom', message, input: undefined });
  return keys;
});
