import { flexRoutes } from './flex-routes.js';
import { rootRoutes } from './root-routes.js';
import type { Route } from './route.js';
import { serverlessRoutes } from './serverless-routes.js';

/** Every operation of the spec excerpt that the simulator serves, and the API root; matched against the raw request path. */
export const routes: Route[] = [...serverlessRoutes, ...flexRoutes, ...rootRoutes];
