import { readFileSync } from 'node:fs';

/** This package's version, read once from package.json. */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The `User-Agent` sent to Atlas. */
export const USER_AGENT = `atlas-backups-graphql/${VERSION}`;
