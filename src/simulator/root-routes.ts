import { route, selfLinks, type Route } from './route.js';

/**
 * `GET /api/atlas/v2` (`getSystemStatus`, Go SDK `RootApi.GetSystemStatus`, version 2023-01-01): the
 * API's status; authenticated, no project id. Not in the backup excerpt; the service's breaker probe
 * calls it. The values are the simulator's own; `apiKey` (the caller's key metadata,
 * nullable in the SDK model) is left null.
 */
export const rootRoutes: Route[] = [
  route('getSystemStatus', '', 'application/vnd.atlas.2023-01-01+json', (req) => ({
    appName: 'Atlas simulator',
    build: '0'.repeat(40),
    throttling: false,
    apiKey: null,
    links: selfLinks(req, ''),
  })),
];
