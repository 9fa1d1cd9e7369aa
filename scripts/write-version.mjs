// Writes src/support/package-version.ts from package.json, so the compiled build carries its version
// without reading package.json at run time. Run by `npm version` (the "version" lifecycle script).
import { readFileSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const file = new URL('../src/support/package-version.ts', import.meta.url);
writeFileSync(
  file,
  `/** Written by scripts/write-version.mjs from package.json: do not edit. */\nexport const PACKAGE_VERSION = '${version}';\n`,
);
