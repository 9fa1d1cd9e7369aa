/**
 * Percent-encodes one path segment: everything but ASCII letters, digits, `-`, `_` and `~`.
 * Dots are encoded too, so that no value can become a `.` or `..` segment that a proxy normalises.
 */
function encodeSegment(value: string): string {
  return encodeURIComponent(value).replace(/[.!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Fills an operation's path template (`/api/atlas/v2/groups/{groupId}/…`) with parameter values,
 * encoding every value even though callers validate them first: a value can never add a segment, a
 * query or a fragment. A parameter without a value throws.
 */
export function expandPath(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${template}`);
    return encodeSegment(value);
  });
}
