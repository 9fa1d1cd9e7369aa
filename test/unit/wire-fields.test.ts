import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AtlasInvalidBodyError } from '../../src/atlas/errors.js';
import { flexBackup } from '../../src/atlas/flex-backup.js';
import type { AtlasOperation } from '../../src/atlas/operation.js';
import { pageOverflowProblem } from '../../src/atlas/pagination.js';
import { parseBody } from '../../src/atlas/response-body.js';
import { serverlessBackup } from '../../src/atlas/serverless-backup.js';
import { atlasArray, atlasText, MAX_INVALID_ITEMS, MAX_TEXT_LENGTH } from '../../src/atlas/wire-fields.js';

// Issue 10 retest, F2 and F3: the zod pieces Atlas body schemas are built from bound what a body
// may cost to validate (items checked, problems collected) and how long any of its strings may be.

/** An item schema that counts how many values it was asked to check. */
function countingItem() {
  const seen = { checked: 0 };
  const schema = z.unknown().check((ctx) => {
    seen.checked += 1;
    if (typeof ctx.value !== 'number') ctx.issues.push({ code: 'custom', message: 'not a number', input: ctx.value });
  });
  return { schema, seen };
}

describe('atlasArray', () => {
  it('refuses more than its maximum before checking any item', () => {
    const { schema, seen } = countingItem();
    const result = atlasArray(schema, 500).safeParse(new Array(300_000).fill(1));
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['must have at most 500 items']);
    expect(seen.checked).toBe(0);
  });

  it('stops checking after MAX_INVALID_ITEMS invalid items: a handful of problems for 500 bad items', () => {
    const { schema, seen } = countingItem();
    const result = atlasArray(schema, 500).safeParse(new Array(500).fill({}));
    expect(seen.checked).toBe(MAX_INVALID_ITEMS);
    expect(result.error?.issues.map(({ path, message }) => `${path.join('.')}: ${message}`)).toEqual([
      '0: not a number',
      '1: not a number',
      '2: not a number',
      ': items after 2 not checked (3 invalid items already)',
    ]);
  });

  it('reports every invalid item below the bound, with paths through nested arrays, and passes valid items transformed', () => {
    const item = z.object({ n: z.number().transform((n) => n * 2), tags: atlasArray(z.string(), 2).optional() });
    expect(atlasArray(item, 10).parse([{ n: 1 }, { n: 2, tags: ['a'] }])).toEqual([{ n: 2 }, { n: 4, tags: ['a'] }]);
    const result = atlasArray(item, 10).safeParse([{ n: 1 }, { n: 'x' }, { n: 3, tags: ['a', 1] }]);
    expect(result.error?.issues.map(({ path }) => path.join('.'))).toEqual(['1.n', '2.tags.1']);
  });
});

describe('atlasText', () => {
  it('refuses text past its kind`s maximum, and checks chained after it never read the long value', () => {
    let patternRuns = 0;
    const schema = atlasText('version').refine(() => (patternRuns += 1) > 0);
    expect(schema.safeParse('8.0.29').success).toBe(true);
    const result = schema.safeParse('v'.repeat(3_000_000));
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      `must be at most ${MAX_TEXT_LENGTH.version} characters`,
    ]);
    expect(patternRuns).toBe(1);
  });
});

describe('pageOverflowProblem', () => {
  const path = '/api/atlas/v2/groups/x/flexClusters/y/backup/snapshots?includeCount=true&pageNum=1&itemsPerPage=5';

  it('names a page holding more results than its request asked for, and nothing else', () => {
    expect(pageOverflowProblem({ results: new Array(6).fill({}) }, path)).toBe(
      'results: 6 items, more than the 5 asked for (itemsPerPage)',
    );
    expect(pageOverflowProblem({ results: new Array(5).fill({}) }, path)).toBeUndefined();
    expect(pageOverflowProblem({ results: 'x' }, path)).toBeUndefined();
    expect(pageOverflowProblem({ results: new Array(6).fill({}) }, path.replace(/\?.*/, ''))).toBeUndefined();
  });
});

describe('every string Atlas sends in a backup body is bounded', () => {
  const all: AtlasOperation<z.ZodType>[] = [
    ...Object.values(flexBackup.operations),
    ...Object.values(serverlessBackup.operations),
  ];
  const operations = Object.fromEntries(all.map((operation) => [operation.name, operation]));
  const recordings = new URL('../fixtures/atlas-examples/', import.meta.url);
  const cases = Object.keys(operations).flatMap((name) =>
    readdirSync(new URL(`${name}/`, recordings)).map((file) => ({ name, file })),
  );

  /** Every path to a string in `value`, e.g. `results.0.links.1.href`. */
  const stringPaths = (value: unknown, path: (string | number)[] = []): (string | number)[][] => {
    if (typeof value === 'string') return [path];
    if (typeof value !== 'object' || value === null) return [];
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      stringPaths(v, [...path, Array.isArray(value) ? Number(k) : k]),
    );
  };
  const setAt = (value: unknown, path: (string | number)[], text: string): unknown => {
    if (path.length === 0) return text;
    const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as object) }) as Record<
      string | number,
      unknown
    >;
    copy[path[0]!] = setAt(copy[path[0]!], path.slice(1), text);
    return copy;
  };

  it.each(cases)(
    '$name/$file: each string made 100,000 characters long is refused by its path, or dropped',
    ({ name, file }) => {
      const operation = operations[name]!;
      const body = JSON.parse(readFileSync(new URL(`${name}/${file}`, recordings), 'utf8')) as unknown;
      const path = `${operation.template}?includeCount=true&pageNum=1&itemsPerPage=500`;
      const parse = (value: unknown) => parseBody(operation, JSON.stringify(value), 'application/json', path);
      expect(() => parse(body)).not.toThrow();
      const paths = stringPaths(body);
      expect(paths.length).toBeGreaterThan(0);
      for (const at of paths) {
        const long = 'x'.repeat(100_000);
        let problems: string[] = [];
        try {
          // A lenient field (a target cluster name) may drop the value instead of refusing the body.
          expect(JSON.stringify(parse(setAt(body, at, long)))).not.toContain(long);
        } catch (error) {
          if (!(error instanceof AtlasInvalidBodyError)) throw error;
          problems = error.problems;
          expect(problems, at.join('.')).toContainEqual(expect.stringMatching(new RegExp(`^${at.join('\\.')}: `)));
          expect(problems.join('\n')).not.toContain('xxxxxxxxxx');
        }
      }
    },
  );
});
