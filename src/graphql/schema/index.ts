import { builder } from './builder.js';
import { checkEntityRepresentations, keepDeclaredArgumentOrder } from './subgraph.js';
import './scalars.js';
import './link.js';
import './snapshot-enums.js';
import './backup-snapshot.js';
import './serverless-snapshot.js';
import './flex-snapshot.js';
import './restore-job-enums.js';
import './serverless-restore-job.js';
import './flex-restore-job.js';
import './cluster.js';
import './project.js';
import './dedicated-snapshot.js';
import './cluster-restore-job.js';
import './cluster-backup-fields.js';
import './backup-schedule.js';
import './export-bucket.js';
import './export-job.js';
import './backup-compliance-policy.js';
import './backup-settings-fields.js';
import './snapshot-mutations.js';
import './restore-mutations.js';
import './settings-mutations.js';
import './flex-mutations.js';
import './subscriptions.js';

/** The executable subgraph schema (Apollo Federation 2: `_service`, `_entities`), built once per process. */
export const schema = builder.toSubGraphSchema({
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key'],
  sortSchema: false,
});
keepDeclaredArgumentOrder(schema, builder.toSchema({ sortSchema: false }));
checkEntityRepresentations(schema);
