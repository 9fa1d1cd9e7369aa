import type { SimDedicatedCluster, SimRegion, SimReplicationSpec } from './cloud-backup-state.js';

/**
 * A dedicated cluster as `getCluster`/`listClusters` 2024-08-05 send it (`ClusterDescription20240805`),
 * shaped like the recorded bodies (examples/getCluster/observed-snapshots-*, listClusters/observed-*):
 * `adaptiveCapacity: null`, `biConnector.readPreference` in lower case, `regionName` as a string,
 * the undocumented `effectiveDatabaseEdition`, effective specs only inside `replicationSpecs`, and
 * no connection strings while CREATING (README §10.3, §10.6 items 4–5).
 */

/** Hardware of one node type, with the fields each provider's spec has (AWS adds IOPS and volume type). */
function hardware(region: SimRegion, nodeCount: number): Record<string, unknown> {
  const { instanceSize, diskSizeGB } = region;
  switch (region.providerName) {
    case 'AWS':
      return { instanceSize, diskIOPS: 3000, diskSizeGB, ebsVolumeType: 'STANDARD', nodeCount };
    case 'AZURE':
      return { instanceSize, diskIOPS: 500, diskSizeGB, nodeCount };
    case 'GCP':
      return { instanceSize, diskSizeGB, nodeCount };
  }
}

function regionConfig(region: SimRegion, withEffectiveSpecs: boolean): Record<string, unknown> {
  return {
    analyticsSpecs: hardware(region, 0),
    autoScaling: { compute: { enabled: false, scaleDownEnabled: false }, diskGB: { enabled: false } },
    ...(withEffectiveSpecs
      ? {
          effectiveAnalyticsSpecs: hardware(region, 0),
          effectiveElectableSpecs: hardware(region, region.nodeCount),
          effectiveReadOnlySpecs: hardware(region, 0),
        }
      : {}),
    electableSpecs: hardware(region, region.nodeCount),
    priority: region.priority,
    providerName: region.providerName,
    readOnlySpecs: hardware(region, 0),
    regionName: region.regionName,
  };
}

const specs = (all: SimReplicationSpec[], withEffectiveSpecs: boolean) =>
  all.map((spec) => ({
    id: spec.id,
    regionConfigs: spec.regions.map((region) => regionConfig(region, withEffectiveSpecs)),
    zoneId: spec.zoneId,
    zoneName: spec.zoneName,
  }));

/** Connection strings as recorded: none while creating; sharded clusters add the private-link fields. */
function connectionStrings(c: SimDedicatedCluster): Record<string, unknown> {
  if (c.stateName === 'CREATING') return {};
  const host = `${c.name.toLowerCase()}.s1m0a.mongodb.net`;
  if (c.clusterType === 'REPLICASET') {
    const nodes = [0, 1, 2].map((n) => `${c.name.toLowerCase()}-shard-00-0${n}.s1m0a.mongodb.net:27017`);
    return {
      standard: `mongodb://${nodes.join(',')}/?ssl=true&authSource=admin&replicaSet=atlas-${c.id.slice(-6)}-shard-0`,
      standardSrv: `mongodb+srv://${host}`,
    };
  }
  const mongos = c.replicationSpecs.map((_, n) => `${c.name.toLowerCase()}-shard-0${n}-00.s1m0a.mongodb.net:27016`);
  return {
    awsPrivateLinkSrv: {},
    privateEndpoint: [],
    standard: `mongodb://${mongos.join(',')}/?ssl=true&authSource=admin`,
    standardSrv: `mongodb+srv://${host}`,
  };
}

/** The `ClusterDescription20240805` body of `c` in project `groupId`, with the given `links`. */
export function clusterBody(groupId: string, c: SimDedicatedCluster, links: unknown[]): Record<string, unknown> {
  const major = c.mongoDBVersion.split('.').slice(0, 2).join('.');
  return {
    adaptiveCapacity: null,
    advancedConfiguration: {
      customOpensslCipherConfigTls12: [],
      customOpensslCipherConfigTls13: [],
      minimumEnabledTlsProtocol: 'TLS1_2',
      tlsCipherConfigMode: 'DEFAULT',
    },
    backupEnabled: c.backupEnabled,
    biConnector: { enabled: false, readPreference: 'secondary' },
    clusterType: c.clusterType,
    ...(c.configServerType
      ? { configServerManagementMode: 'ATLAS_MANAGED', configServerType: c.configServerType }
      : {}),
    connectionStrings: connectionStrings(c),
    createDate: c.createDate,
    diskWarmingMode: 'FULLY_WARMED',
    effectiveDatabaseEdition: 'CORE',
    effectiveReplicationSpecs: specs(c.replicationSpecs, false),
    encryptionAtRestProvider: 'NONE',
    featureCompatibilityVersion: major,
    globalClusterSelfManagedSharding: false,
    groupId,
    id: c.id,
    internalClusterRole: 'NONE',
    labels: [],
    links,
    mongoDBMajorVersion: major,
    mongoDBVersion: c.mongoDBVersion,
    name: c.name,
    paused: c.paused,
    pitEnabled: c.pitEnabled,
    redactClientLogData: false,
    replicationSpecs: specs(c.replicationSpecs, true),
    retainBackups: false,
    rootCertType: 'ISRGROOTX1',
    stateName: c.stateName,
    tags: [],
    terminationProtectionEnabled: false,
    useAwsTimeBasedSnapshotCopyForFastInitialSync: false,
    versionReleaseSystem: 'LTS',
  };
}
