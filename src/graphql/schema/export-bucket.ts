import type { ExportBucketRecord } from '../../backups/backup-settings-records.js';
import { lookupDescription, pathArgs } from './arguments.js';
import { settingsArgs } from './backup-settings-arguments.js';
import { builder } from './builder.js';
import { CLOUD_PROVIDERS, CloudProviderRef } from './cluster-enums.js';
import { knownEnumValue } from './enum-value.js';
import { LinkRef } from './link.js';
import { connectionWithCount, edgeOptions, resolveConnection } from './pagination.js';

/** The concrete type of a bucket, by its `cloudProvider`; a provider this schema does not know is `OtherExportBucket`. */
const TYPE_BY_PROVIDER: Readonly<Record<string, string>> = {
  AWS: 'AwsExportBucket',
  AZURE: 'AzureExportBucket',
  GCP: 'GcpExportBucket',
};

/** The `ExportBucket` interface: what every provider's bucket has. */
export const ExportBucketRef = builder.interfaceRef<ExportBucketRecord>('ExportBucket').implement({
  description:
    'A bucket that snapshots of the project’s dedicated clusters can be exported to (Atlas operation `getExportBucket`, ' +
    'API version 2024-05-30). The concrete type follows `cloudProvider`.',
  resolveType: (bucket) => TYPE_BY_PROVIDER[bucket.cloudProvider] ?? 'OtherExportBucket',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Unique 24-hexadecimal-digit id of the bucket (Atlas: `_id`).' }),
    groupId: t.exposeID('groupId', { description: 'Id of the Atlas project (group), as given.' }),
    bucketName: t.exposeString('bucketName', { description: 'Name of the bucket or container.' }),
    cloudProvider: t.field({
      type: CloudProviderRef,
      nullable: true,
      description: 'Cloud provider of the bucket. Null for a provider this schema does not know (`OtherExportBucket`).',
      resolve: (b, _a, ctx) =>
        knownEnumValue(CLOUD_PROVIDERS, b.cloudProvider, 'ExportBucket.cloudProvider', ctx.logger),
    }),
    links: t.expose('links', { type: [LinkRef], description: 'Links Atlas returned with the bucket.' }),
  }),
});

builder.objectRef<ExportBucketRecord>('AwsExportBucket').implement({
  description: 'An AWS S3 bucket.',
  interfaces: [ExportBucketRef],
  fields: (t) => ({
    iamRoleId: t.exposeID('iamRoleId', {
      nullable: true,
      description: 'Id of the unified AWS access role Atlas uses to write to the bucket.',
    }),
    region: t.exposeString('region', {
      nullable: true,
      description:
        'AWS region of the bucket, e.g. `us-east-1`. Null in list items: Atlas sends it only for one bucket.',
    }),
    requirePrivateNetworking: t.exposeBoolean('requirePrivateNetworking', {
      nullable: true,
      description: 'Whether exports reach the bucket over private networking only.',
    }),
  }),
});

builder.objectRef<ExportBucketRecord>('AzureExportBucket').implement({
  description: 'An Azure Blob Storage container.',
  interfaces: [ExportBucketRef],
  fields: (t) => ({
    roleId: t.exposeID('roleId', { nullable: true, description: 'Id of the Azure Service Principal Atlas uses.' }),
    serviceUrl: t.exposeString('serviceUrl', {
      nullable: true,
      description:
        'URL of the storage account or container, e.g. `https://<account>.blob.core.windows.net/<container>`.',
    }),
    tenantId: t.exposeString('tenantId', { nullable: true, description: 'UUID of the Azure tenant.' }),
  }),
});

builder.objectRef<ExportBucketRecord>('GcpExportBucket').implement({
  description: 'A Google Cloud Storage bucket.',
  interfaces: [ExportBucketRef],
  fields: (t) => ({
    roleId: t.exposeID('roleId', { nullable: true, description: 'Id of the GCP service account Atlas uses.' }),
  }),
});

builder.objectRef<ExportBucketRecord>('OtherExportBucket').implement({
  description:
    'A bucket of a cloud provider this schema does not know yet: its common fields only, `cloudProvider` null.',
  interfaces: [ExportBucketRef],
  fields: () => ({}),
});

/** `ExportBucketConnection`: shared by `exportBuckets` and `Project.exportBuckets`. */
export const ExportBucketConnectionRef = builder.connectionObject(
  { type: ExportBucketRef, ...connectionWithCount('ExportBucket', 'export buckets') },
  edgeOptions('ExportBucket', 'export buckets'),
);

builder.queryFields((t) => ({
  exportBucket: t.field({
    type: ExportBucketRef,
    nullable: true,
    description: lookupDescription(
      'One export bucket of one project (`GET /groups/{groupId}/backup/exportBuckets/{exportBucketId}`).',
    ),
    args: { groupId: pathArgs.groupId, exportBucketId: settingsArgs.exportBucketId },
    resolve: (_root, key, ctx) => ctx.loaders.exportBucket.load(key),
  }),
  exportBuckets: t.connection(
    {
      type: ExportBucketRef,
      nullable: true,
      description:
        'The export buckets of one project, in Atlas order, a page at a time (`GET /groups/{groupId}/backup/exportBuckets`). ' +
        'List items carry no `region`.',
      args: { groupId: pathArgs.groupId },
      resolve: (_root, args, ctx, info) =>
        resolveConnection(args, info, (page) => ctx.loaders.exportBuckets(args.groupId, page)),
    },
    ExportBucketConnectionRef,
  ),
}));
