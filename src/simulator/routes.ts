import { cloudBackupRoutes } from './cloud-backup-routes.js';
import { clusterRoutes } from './cluster-routes.js';
import { flexRoutes } from './flex-routes.js';
import { projectBackupRoutes } from './project-backup-routes.js';
import { rootRoutes } from './root-routes.js';
import type { Route } from './route.js';
import { serverlessRoutes } from './serverless-routes.js';

/** Every operation of the spec excerpts that the simulator serves, and the API root; matched against the raw request path. */
export const routes: Route[] = [
  ...serverlessRoutes,
  ...flexRoutes,
  ...cloudBackupRoutes,
  ...clusterRoutes,
  ...projectBackupRoutes,
  ...rootRoutes,
];
