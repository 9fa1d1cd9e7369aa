import { cloudBackupRoutes } from './cloud-backup-routes.js';
import { clusterRoutes } from './cluster-routes.js';
import { exportWriteRoutes } from './export-write-route.js';
import { flexRoutes } from './flex-routes.js';
import { flexWriteRoutes } from './flex-write-routes.js';
import { projectBackupRoutes } from './project-backup-routes.js';
import { restoreWriteRoutes } from './restore-write-routes.js';
import { rootRoutes } from './root-routes.js';
import type { Route } from './route.js';
import { scheduleWriteRoutes } from './schedule-write-route.js';
import { serverlessRoutes } from './serverless-routes.js';
import { snapshotWriteRoutes } from './snapshot-write-routes.js';

/**
 * Every operation of the spec excerpts that the simulator serves, reads and writes, and the API root;
 * matched against the raw request path and the method (dispatch.ts).
 */
export const routes: Route[] = [
  ...serverlessRoutes,
  ...flexRoutes,
  ...cloudBackupRoutes,
  ...clusterRoutes,
  ...projectBackupRoutes,
  ...rootRoutes,
  ...snapshotWriteRoutes,
  ...restoreWriteRoutes,
  ...scheduleWriteRoutes,
  ...exportWriteRoutes,
  ...flexWriteRoutes,
];
