import { PACKAGE_VERSION } from './package-version.js';

/** This package's version, compiled in (package-version.ts is written by `npm version`; a test keeps it equal to package.json). */
export const VERSION: string = PACKAGE_VERSION;

/** The `User-Agent` sent to Atlas. */
export const USER_AGENT = `atlas-backups-graphql/${VERSION}`;
