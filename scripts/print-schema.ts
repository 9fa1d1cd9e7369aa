import { readFileSync, writeFileSync } from 'node:fs';
import { printSchemaSDL } from '../src/graphql/schema/print.js';

// `npm run schema` writes schema.graphql from the Pothos code; `--check` fails when the file is stale.
const target = new URL('../schema.graphql', import.meta.url);
const sdl = printSchemaSDL();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file is stale too
  }
  if (current !== sdl) {
    process.stderr.write('schema.graphql is stale: run `npm run schema` and commit the result\n');
    process.exit(1);
  }
  process.stdout.write('schema.graphql is up to date\n');
} else {
  writeFileSync(target, sdl);
  process.stdout.write('wrote schema.graphql\n');
}
