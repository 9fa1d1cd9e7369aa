import { Secret } from '../support/secret.js';

/**
 * Bounds on text from Atlas (or anything answering in its place): how deep its JSON may nest and how
 * many objects and arrays it may hold before we parse it, and how much of it, scrubbed of our
 * credentials, may reach a caller.
 */

/** Deepest JSON nesting accepted; Atlas bodies nest a handful of levels. @default 64 */
export const MAX_JSON_DEPTH = 64;

/** Longest piece of Atlas-provided text (an envelope field, a header value) passed on to callers. */
export const MAX_UPSTREAM_TEXT_LENGTH = 300;

/** Marks text cut at MAX_UPSTREAM_TEXT_LENGTH. */
export const TRUNCATION_MARKER = '… (truncated)';

const OPEN_SQUARE = 0x5b;
const OPEN_CURLY = 0x7b;
const CLOSE_SQUARE = 0x5d;
const CLOSE_CURLY = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Most objects and arrays one body may hold: a 500-item page of the richest Atlas resource holds a
 * few tens of thousands. Each costs about 64 bytes once parsed, while `{},` is 3 bytes of text: a
 * 4 MiB body of them would take 68 MB of heap. @default 100000
 */
export const MAX_JSON_CONTAINERS = 100_000;

/**
 * Which bound `text`, read as JSON, breaks first: `depth` when arrays and objects nest deeper than
 * `maxDepth`, `containers` when it holds more than `maxContainers` of them; one linear pass, no allocation.
 */
function jsonBoundBroken(text: string, maxDepth: number, maxContainers: number): 'depth' | 'containers' | undefined {
  let depth = 0;
  let containers = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_SQUARE || c === OPEN_CURLY) {
      depth += 1;
      containers += 1;
      if (depth > maxDepth) return 'depth';
      if (containers > maxContainers) return 'containers';
    } else if (c === CLOSE_SQUARE || c === CLOSE_CURLY) {
      depth -= 1;
    }
  }
  return undefined;
}

/** True when `text`, read as JSON, nests arrays and objects deeper than `maxDepth`; one linear pass, no allocation. */
export function exceedsJsonDepth(text: string, maxDepth = MAX_JSON_DEPTH): boolean {
  return jsonBoundBroken(text, maxDepth, Infinity) === 'depth';
}

/** What `parseJson` found: the value, or why there is none (a phrase fit for an error's problem list). */
export type JsonText = { value: unknown; problem?: undefined } | { value?: undefined; problem: string };

/**
 * Parses JSON text from Atlas; refuses text nested deeper than MAX_JSON_DEPTH (millions of nested
 * `[` cost hundreds of MB) or holding more than MAX_JSON_CONTAINERS objects and arrays before
 * `JSON.parse` builds it. The one JSON entry point for upstream bodies.
 */
export function parseJson(text: string): JsonText {
  const broken = jsonBoundBroken(text, MAX_JSON_DEPTH, MAX_JSON_CONTAINERS);
  if (broken === 'depth') return { problem: `body nests deeper than ${MAX_JSON_DEPTH} levels` };
  if (broken === 'containers') return { problem: `body holds more than ${MAX_JSON_CONTAINERS} objects and arrays` };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { problem: 'body is not JSON' };
  }
}

/** Cuts Atlas-provided text to MAX_UPSTREAM_TEXT_LENGTH characters, marking the cut; never splits a surrogate pair. */
export function truncateUpstreamText(text: string, maxLength = MAX_UPSTREAM_TEXT_LENGTH): string {
  if (text.length <= maxLength) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
  return `${text.slice(0, end)}${TRUNCATION_MARKER}`;
}

/**
 * Atlas-provided text as it may reach a caller or a log: every credential this process holds (the
 * API private key, the client secret, access tokens, the credential of each call in flight) replaced
 * by "[redacted]" — an upstream or proxy may echo our `Authorization` — then cut to `maxLength`.
 * Scrubbed before it is cut, so that no cut leaves part of a secret behind.
 */
export function upstreamText(text: string, maxLength = MAX_UPSTREAM_TEXT_LENGTH): string {
  return truncateUpstreamText(Secret.scrub(text), maxLength);
}
