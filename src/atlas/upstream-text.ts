/**
 * Bounds on text from Atlas (or anything answering in its place): how deep its JSON may nest
 * before we parse it, and how much of it may reach a caller.
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

/** True when `text`, read as JSON, nests arrays and objects deeper than `maxDepth`; one linear pass, no allocation. */
export function exceedsJsonDepth(text: string, maxDepth = MAX_JSON_DEPTH): boolean {
  let depth = 0;
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
      if (depth > maxDepth) return true;
    } else if (c === CLOSE_SQUARE || c === CLOSE_CURLY) {
      depth -= 1;
    }
  }
  return false;
}

/** What `parseJson` found: the value, or why there is none (a phrase fit for an error's problem list). */
export type JsonText = { value: unknown; problem?: undefined } | { value?: undefined; problem: string };

/**
 * Parses JSON text from Atlas; refuses text nested deeper than MAX_JSON_DEPTH before `JSON.parse`
 * builds it (millions of nested `[` cost hundreds of MB). The one JSON entry point for upstream bodies.
 */
export function parseJson(text: string): JsonText {
  if (exceedsJsonDepth(text)) return { problem: `body nests deeper than ${MAX_JSON_DEPTH} levels` };
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
