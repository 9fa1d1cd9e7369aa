import { builder } from './builder.js';
import './scalars.js';
import './link.js';
import './snapshot-enums.js';
import './backup-snapshot.js';
import './serverless-snapshot.js';
import './flex-snapshot.js';
import './restore-job-enums.js';
import './serverless-restore-job.js';
import './flex-restore-job.js';

/** The executable schema, built once per process. */
export const schema = builder.toSchema({ sortSchema: false });
