/**
 * Percent-encodes one path segment: everything but ASCII letters, digits, `-`, `_` and `~`.
 * Dots are encoded too, so that no value can become a `.` or `..` segment that a proxy normalises.
 */
export function encodeSegment(value: string): string {
  return encodeURIComponent(value).replace(/[.!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Builds an Atlas API path from literal segments and parameter values, encoding every value even
 * though callers validate them first: a value can never add a segment, a query or a fragment.
 */
export function atlasPath(strings: TemplateStringsArray, ...values: string[]): string {
  let path = strings[0] ?? '';
  values.forEach((value, i) => {
    path += encodeSegment(value) + (strings[i + 1] ?? '');
  });
  return path;
}
