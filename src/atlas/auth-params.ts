/** RFC 9110 `tchar`s: the characters of a parameter name or an unquoted value. */
const TOKEN_CHARS = new Set("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

const isSpace = (c: string | undefined) => c === ' ' || c === '\t';

/** A quoted-string starting at `from` (its opening quote): the unescaped value and the index after its closing quote. */
function readQuoted(text: string, from: number): { value: string; end: number } {
  let value = '';
  let start = from + 1;
  let i = start;
  while (i < text.length && text[i] !== '"') {
    if (text[i] === '\\') {
      value += text.slice(start, i);
      start = i + 1;
      i += 2;
    } else {
      i += 1;
    }
  }
  return { value: value + text.slice(start, Math.min(i, text.length)), end: i + 1 };
}

/**
 * The auth-params of a challenge (`realm="x", nonce=abc, …`, RFC 9110 §11.2), names lower-cased and
 * quoted values unescaped; a malformed param is skipped up to the next comma. One forward pass: each
 * character is read a bounded number of times, whatever the text (a regex over a long run of letters
 * without `=` was quadratic).
 */
export function parseAuthParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === ',' || isSpace(text[i]))) i += 1;
    const nameStart = i;
    while (i < text.length && TOKEN_CHARS.has(text[i]!)) i += 1;
    const name = text.slice(nameStart, i).toLowerCase();
    while (isSpace(text[i])) i += 1;
    if (name === '' || text[i] !== '=') {
      while (i < text.length && text[i] !== ',') i += 1;
      continue;
    }
    i += 1;
    while (isSpace(text[i])) i += 1;
    if (text[i] === '"') {
      const { value, end } = readQuoted(text, i);
      params.set(name, value);
      i = end;
    } else {
      const valueStart = i;
      while (i < text.length && text[i] !== ',' && !isSpace(text[i])) i += 1;
      params.set(name, text.slice(valueStart, i));
    }
  }
  return params;
}
