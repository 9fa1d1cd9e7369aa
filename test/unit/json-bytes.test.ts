import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonBytes } from '../../src/graphql/plugins/response-bounds.js';

// The response-size cap measures a result without serialising it: close to JSON.stringify's byte
// length, escapes included (a hostile upstream once sent 24 MB past a 4 MiB cap in \u0001s), and it
// stops counting once past the limit.
/** Arrays and objects with at least one item: jsonBytes counts one separator too many in each. */
function nonEmptyContainers(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const items = Object.values(value) as unknown[];
  return (items.length > 0 ? 1 : 0) + items.reduce<number>((sum, item) => sum + nonEmptyContainers(item), 0);
}

describe('jsonBytes', () => {
  it('is the serialised UTF-8 size of any JSON value, escapes included (a control character is 6 bytes), plus one separator per non-empty container and the root', () => {
    // Any text: controls, quotes, backslashes and lone surrogates are counted as JSON.stringify escapes them.
    const text = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'binary-ascii' }),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('node')),
        fc.dictionary(text, tie('node')),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        const exact = Buffer.byteLength(JSON.stringify(v));
        expect(jsonBytes(v, Number.MAX_SAFE_INTEGER)).toBe(exact + 1 + nonEmptyContainers(v));
      }),
    );
  });

  it('counts a 45 MB response no further than the limit', () => {
    const big = 'x'.repeat(3_000_000);
    const result = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`a${i}`, { mongoDBVersion: big }]));
    const counted = jsonBytes(result, 4_000_000);
    expect(counted).toBeGreaterThan(4_000_000);
    expect(counted).toBeLessThan(7_000_000);
  });
});
