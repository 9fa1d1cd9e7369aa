import { SimApiError } from './api-error.js';
import type { SimExportBucket } from './cloud-backup-state.js';
import { requirePermission } from './roles.js';
import { OBJECT_ID, paginate, project, route, type Route, type RouteRequest } from './route.js';

const V2023 = 'application/vnd.atlas.2023-01-01+json';
/** Older versions carry x-sunset 2027-07-01; the Deprecation date is the successor's version date, as observed for the schedule. */
const deprecatedOn = (date: string) => ({ [V2023]: { deprecation: date, sunset: 'Thu, 1 Jul 2027 00:00:00 GMT' } });

/**
 * A bucket as a list item: without `region` (examples/listExportBuckets; a single bucket has it). The
 * 2023-01-01 version (`DiskBackupSnapshotAWSExportBucketResponse`) knows AWS buckets only.
 */
const listItem = ({ region: _region, ...listed }: SimExportBucket) => listed;

const visibleBuckets = (req: RouteRequest) =>
  [...(project(req).cloud?.exportBuckets.values() ?? [])].filter(
    (b) => req.mediaType !== V2023 || b.cloudProvider === 'AWS',
  );

/**
 * Operations 19 (compliance policy, Project Owner), 21 and 22 (export buckets, Project Read Only) of
 * README §10.1, newest media type first, 2023-01-01 still served with Deprecation/Sunset headers.
 * A project without a compliance policy answers 200 `{}`: "getting backup compliance policies never
 * yields a 404" (mongodb/mongodb-atlas-kubernetes pkg/controller/atlasproject/backupcompliancepolicy.go,
 * which treats an empty body as "none").
 */
export const projectBackupRoutes: Route[] = [
  route(
    'getCompliancePolicy',
    '/groups/{groupId}/backupCompliancePolicy',
    'application/vnd.atlas.2023-10-01+json',
    (req) => {
      const group = project(req);
      requirePermission(req, group, 'owner');
      return group.cloud?.compliancePolicy ?? {};
    },
    { olderMediaTypes: deprecatedOn('Sun, 1 Oct 2023 00:00:00 GMT') },
  ),

  route(
    'listExportBuckets',
    '/groups/{groupId}/backup/exportBuckets',
    'application/vnd.atlas.2024-05-30+json',
    (req) => paginate(req, visibleBuckets(req).map(listItem)),
    { olderMediaTypes: deprecatedOn('Thu, 30 May 2024 00:00:00 GMT') },
  ),

  route(
    'getExportBucket',
    '/groups/{groupId}/backup/exportBuckets/{exportBucketId}',
    'application/vnd.atlas.2024-05-30+json',
    (req) => {
      const id = req.params.exportBucketId!;
      const buckets = visibleBuckets(req);
      if (!OBJECT_ID.test(id)) {
        throw new SimApiError(400, 'INVALID_ATTRIBUTE', 'Invalid attribute exportBucketId specified.', [
          'exportBucketId',
        ]);
      }
      const found = buckets.find((b) => b._id === id);
      if (!found) {
        throw new SimApiError(404, 'EXPORT_BUCKET_NOT_FOUND', `No export bucket with ID ${id} exists.`, [id]);
      }
      return found;
    },
    { olderMediaTypes: deprecatedOn('Thu, 30 May 2024 00:00:00 GMT') },
  ),
];
