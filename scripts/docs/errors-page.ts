import { ERROR_CODES, type ErrorCodeRow } from '../../src/graphql/error-codes.js';

// docs/errors.md, printed from the table the error translator reads (src/graphql/error-codes.ts):
// a code, its message and its HTTP status are stated once, in the code.

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The HTTP column of one row: the status of a response this error ends. */
function httpColumn(row: ErrorCodeRow): string {
  if (!row.http) return '— (a field error: 200, beside `data`)';
  return `${row.http.status}${row.http.spec ? ' (200 under `application/json`)' : ''}`;
}

/** docs/errors.md. */
export function renderErrorsPage(): string {
  const rows = Object.entries(ERROR_CODES).map(
    ([code, row]: [string, ErrorCodeRow]) =>
      `| \`${code}\` | ${httpColumn(row)} | ${cell(row.when)} | ${cell(row.extensions)} | ${cell(row.action)} |`,
  );
  return [
    '<!-- Generated from src/graphql/error-codes.ts by `npm run docs`. Do not edit by hand. -->',
    '',
    '# Errors',
    '',
    'A field that cannot be resolved is `null`, and its error is in `errors[]` with the field’s `path`;',
    'an error that stops the whole request comes without `data`. Every error has a stable',
    '`extensions.code` from the table below, which is also the table the server translates errors with.',
    'Errors that came from Atlas carry `extensions.atlas = { status, errorCode, reason, detail }`, copied',
    'from the Atlas error envelope (never raw upstream text). Atlas errors map by HTTP status first: a',
    'body that is not JSON, such as a proxy’s HTML page, still maps by its status.',
    '',
    '| `extensions.code` | HTTP status of a request it ends | when | extensions | what to do |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'The argument formats (checked before any Atlas call) are in [api.md](api.md#argument-formats).',
    '',
  ].join('\n');
}
