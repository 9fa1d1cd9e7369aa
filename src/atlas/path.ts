/**
 * Builds an Atlas API path from literal segments and parameter values, percent-encoding every
 * value even though callers validate them first: a value can never add a segment, a query or a fragment.
 */
export function atlasPath(strings: TemplateStringsArray, ...values: string[]): string {
  let path = strings[0] ?? '';
  values.forEach((value, i) => {
    path += encodeURIComponent(value) + (strings[i + 1] ?? '');
  });
  return path;
}
