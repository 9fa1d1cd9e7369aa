import { describe, expect, it } from 'vitest';
import { parseErrorEnvelope } from '../../src/atlas/error-envelope.js';
import { AtlasInvalidBodyError } from '../../src/atlas/errors.js';
import { MAX_ERROR_BODY_BYTES, parseBody, readBody, readErrorBody } from '../../src/atlas/response-body.js';
import { getServerlessBackupSnapshot } from '../../src/atlas/serverless-backup.js';
import {
  exceedsJsonDepth,
  MAX_JSON_CONTAINERS,
  MAX_JSON_DEPTH,
  MAX_UPSTREAM_TEXT_LENGTH,
  parseJson,
  TRUNCATION_MARKER,
  truncateUpstreamText,
} from '../../src/atlas/upstream-text.js';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const JSON_TYPE = 'application/vnd.atlas.2023-01-01+json;charset=utf-8';
const SNAPSHOT_ID = '6741f2a0c8e4d17a3b9f0e21';
const SNAPSHOT_PATH = `/api/atlas/v2/groups/${SNAPSHOT_ID}/serverless/instance-1/backup/snapshots/${SNAPSHOT_ID}`;

/** An endless body that records how much of it was pulled and whether its reader let go. */
function endless(chunkBytes: number) {
  const seen = { chunks: 0, released: false };
  // A network body is an async iterable; this one has every chunk ready, so it never needs to await.
  // eslint-disable-next-line @typescript-eslint/require-await
  async function* body(): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        seen.chunks += 1;
        yield Buffer.alloc(chunkBytes, 0x61);
      }
    } finally {
      seen.released = true;
    }
  }
  return { body: body(), seen };
}

describe('JSON depth bound', () => {
  it('accepts MAX_JSON_DEPTH levels and refuses one more, counting arrays and objects alike', () => {
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(exceedsJsonDepth('{"a":'.repeat(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(exceedsJsonDepth(JSON.stringify({ text: '['.repeat(1_000) }))).toBe(false);
    expect(exceedsJsonDepth(JSON.stringify({ text: `\\"${'{'.repeat(1_000)}` }))).toBe(false);
    expect(exceedsJsonDepth(`["\\\\", ${nested(MAX_JSON_DEPTH)}]`)).toBe(true);
  });

  it('parseJson refuses more than MAX_JSON_CONTAINERS objects and arrays before JSON.parse, and accepts that many', () => {
    const containers = (count: number) => `[${'{},'.repeat(count - 2)}[]]`;
    expect(parseJson(containers(MAX_JSON_CONTAINERS)).value).toHaveLength(MAX_JSON_CONTAINERS - 1);
    expect(parseJson(containers(MAX_JSON_CONTAINERS + 1))).toEqual({
      problem: `body holds more than ${MAX_JSON_CONTAINERS} objects and arrays`,
    });
    // Brackets inside strings are text, not containers.
    expect(parseJson(JSON.stringify(['{'.repeat(MAX_JSON_CONTAINERS + 1)])).problem).toBeUndefined();
  });

  it('parseJson says why there is no value', () => {
    expect(parseJson('{"a":[1]}')).toEqual({ value: { a: [1] } });
    expect(parseJson('<html>')).toEqual({ problem: 'body is not JSON' });
    expect(parseJson(nested(3_000_000))).toEqual({ problem: `body nests deeper than ${MAX_JSON_DEPTH} levels` });
  });
});

describe('truncateUpstreamText', () => {
  it('keeps short text and cuts long text with a marker, never splitting a surrogate pair', () => {
    expect(truncateUpstreamText('short')).toBe('short');
    expect(truncateUpstreamText('x'.repeat(10_000))).toBe(
      `${'x'.repeat(MAX_UPSTREAM_TEXT_LENGTH)}${TRUNCATION_MARKER}`,
    );
    const emoji = `${'x'.repeat(MAX_UPSTREAM_TEXT_LENGTH - 1)}😀😀`;
    expect(truncateUpstreamText(emoji)).toBe(`${'x'.repeat(MAX_UPSTREAM_TEXT_LENGTH - 1)}${TRUNCATION_MARKER}`);
  });
});

describe('parseErrorEnvelope', () => {
  it('cuts every Atlas-provided text at parse time and keeps at most 20 parameters', () => {
    const long = 'y'.repeat(60_000);
    const envelope = parseErrorEnvelope(
      JSON.stringify({
        error: 404,
        errorCode: long,
        reason: long,
        detail: long,
        parameters: [...Array<string>(50).fill(long), 7, { a: long }],
      }),
    );
    const cut = `${'y'.repeat(MAX_UPSTREAM_TEXT_LENGTH)}${TRUNCATION_MARKER}`;
    expect(envelope).toEqual({ errorCode: cut, reason: cut, detail: cut, parameters: Array(20).fill(cut) });
    expect(parseErrorEnvelope(JSON.stringify({ parameters: [7, { a: long }] })).parameters).toEqual([
      7,
      `{"a":"${'y'.repeat(MAX_UPSTREAM_TEXT_LENGTH - 6)}${TRUNCATION_MARKER}`,
    ]);
  });

  it('treats an envelope nested too deep as no envelope (the header still names the code)', () => {
    const deep = `{"errorCode":"SNAPSHOT_NOT_FOUND","parameters":${nested(MAX_JSON_DEPTH)}}`;
    expect(parseErrorEnvelope(deep)).toEqual({});
    expect(parseErrorEnvelope(deep, 'SNAPSHOT_NOT_FOUND')).toEqual({ errorCode: 'SNAPSHOT_NOT_FOUND' });
  });
});

describe('reading bodies', () => {
  it('readErrorBody stops an endless body after MAX_ERROR_BODY_BYTES and gives an empty text', async () => {
    const { body, seen } = endless(4_096);
    expect(await readErrorBody(body)).toBe('');
    expect(seen.chunks).toBe(MAX_ERROR_BODY_BYTES / 4_096 + 1);
    expect(seen.released).toBe(true);
  });

  it('readBody refuses an endless body at its bound with a typed error and lets go of it', async () => {
    const { body, seen } = endless(1_024);
    await expect(readBody('op', body, 10_000)).rejects.toThrow(AtlasInvalidBodyError);
    expect(seen.chunks).toBe(10);
    expect(seen.released).toBe(true);
  });
});

describe('parseBody', () => {
  const valid = JSON.stringify({ id: SNAPSHOT_ID, status: 'completed' });
  const problems = (body: string, contentType: string | undefined) => {
    try {
      parseBody(getServerlessBackupSnapshot, body, contentType, SNAPSHOT_PATH);
    } catch (error) {
      if (error instanceof AtlasInvalidBodyError) return error.problems;
      throw error;
    }
    return [];
  };

  it('accepts JSON and versioned Atlas JSON content types, with parameters', () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      JSON_TYPE,
      'APPLICATION/VND.ATLAS.2024-11-13+JSON',
    ]) {
      expect(problems(valid, type), type).toEqual([]);
    }
  });

  it('refuses other content types, a missing one and look-alikes, showing the type cut short', () => {
    expect(problems(valid, 'text/html')).toEqual(['content type is not JSON: "text/html"']);
    expect(problems(valid, undefined)).toEqual(['content type is not JSON: none']);
    expect(problems(valid, 'application/jsonp')).toEqual(['content type is not JSON: "application/jsonp"']);
    expect(problems(valid, 'application/vnd.other+json')).toHaveLength(1);
    const [long] = problems(valid, `text/${'z'.repeat(5_000)}`);
    expect(long!.length).toBeLessThan(200);
  });

  it('refuses an error envelope and a body without the id', () => {
    expect(
      problems(JSON.stringify({ error: 404, errorCode: 'SNAPSHOT_NOT_FOUND', detail: 'gone' }), JSON_TYPE),
    ).toEqual(['body is an Atlas error envelope (error 404 SNAPSHOT_NOT_FOUND), not the resource']);
    expect(problems(JSON.stringify({ error: 500, detail: 'x', errorCode: 'not a code <script>' }), JSON_TYPE)).toEqual([
      'body is an Atlas error envelope (error 500), not the resource',
    ]);
    expect(problems(JSON.stringify({ status: 'completed' }), JSON_TYPE)).toEqual([expect.stringMatching(/^id: /)]);
  });
});
