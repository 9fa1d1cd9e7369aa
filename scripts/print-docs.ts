import { readFileSync, writeFileSync } from 'node:fs';
import { GENERATED_PAGES } from './docs/pages.js';

// `npm run docs` writes the generated pages of docs/ from the code; `--check` fails when one is stale.
const root = new URL('../', import.meta.url);
const check = process.argv.includes('--check');
let stale = 0;
for (const page of GENERATED_PAGES) {
  const target = new URL(page.path, root);
  const text = page.render();
  if (!check) {
    writeFileSync(target, text);
    process.stdout.write(`wrote ${page.path}\n`);
    continue;
  }
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing page is stale too
  }
  if (current !== text) {
    process.stderr.write(`${page.path} is stale: run \`npm run docs\` and commit the result\n`);
    stale += 1;
  }
}
if (check && stale > 0) process.exit(1);
if (check) process.stdout.write('generated docs are up to date\n');
