import { flexRoutes } from './flex-routes.js';
import type { Route } from './route.js';
import { serverlessRoutes } from './serverless-routes.js';

/** Every operation of the spec excerpt that the simulator serves, matched against the raw request path. */
export const routes: Route[] = [...serverlessRoutes, ...flexRoutes];
