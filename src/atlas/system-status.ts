import { z } from 'zod';
import type { AtlasCallOptions, AtlasClient } from './client.js';
import { linksSchema } from './links.js';
import { defineOperation } from './operation.js';
import { atlasText } from './wire-fields.js';

/** `SystemStatus` (Go SDK model): fields read leniently, nothing here is used beyond the 200. */
const systemStatusSchema = z.object({
  appName: atlasText('description').optional(),
  build: atlasText('description').optional(),
  throttling: z.boolean().optional(),
  links: linksSchema,
});

/**
 * `GET /api/atlas/v2` (Go SDK `RootApi.GetSystemStatus`, `application/vnd.atlas.2023-01-01+json`):
 * needs credentials but no project id, so it is the cheapest call that proves Atlas answers this
 * process's credentials. The breaker probe makes it.
 */
const getSystemStatus = defineOperation(
  'getSystemStatus',
  'application/vnd.atlas.2023-01-01+json',
  '/api/atlas/v2',
  systemStatusSchema,
);

/** Calls `getSystemStatus` with the client's credentials (or the call's own). */
export const systemStatus = (client: AtlasClient, options?: AtlasCallOptions) =>
  client.get(getSystemStatus, '/api/atlas/v2', options);
