import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * `openapi-cloud-backups.json` (a copy of ../shared/atlas/openapi-cloud-backups.json) made
 * checkable with Ajv, and the Atlas deviations from it that tests allow by name.
 *
 * Ajv cannot take the spec as written (README §10.6 item 6): `CloudRegionConfig20240805` has a
 * `oneOf` over its provider children, which `allOf` it back — a cycle that overflows the stack. So
 * every discriminator is dispatched here, as the spec's `discriminator.mapping` says: the parent
 * loses its `oneOf`/`discriminator` and becomes the base its children extend, and every other
 * reference to it goes to an `if/then` chain on the discriminating property. The hardware specs'
 * `oneOf` (no discriminator, overlapping instance sizes: M10 is AWS, Azure and GCP) is dispatched
 * by the enclosing region config's `providerName`, as README §10.6 item 5 says a provider-aware tool
 * would. `nullable` becomes a `null` type (and enum value), as in the README's validation method.
 */

type Json = Record<string, unknown>;
interface Spec {
  paths: Record<string, Record<string, Json & { responses: Record<string, { content?: Record<string, Json> }> }>>;
  components: { schemas: Record<string, Json> };
}

const REF = (name: string) => `#/components/schemas/${name}`;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Visits every object node of `node` (depth first), with the key it sits under. */
function walk(node: unknown, visit: (n: Json, key: string | undefined) => void, key?: string): void {
  if (Array.isArray(node)) node.forEach((item) => walk(item, visit, key));
  else if (isObject(node)) {
    visit(node, key);
    for (const [k, v] of Object.entries(node)) walk(v, visit, k);
  }
}

function dispatchDiscriminators(spec: Spec): void {
  const schemas = spec.components.schemas;
  for (const [base, schema] of Object.entries(schemas)) {
    const discriminator = schema.discriminator as
      { propertyName: string; mapping?: Record<string, string> } | undefined;
    if (!discriminator?.mapping) continue;
    const { propertyName: prop, mapping } = discriminator;
    const dispatch = `${base}__dispatch`;
    schemas[dispatch] = {
      required: [prop],
      properties: { [prop]: { enum: Object.keys(mapping) } },
      allOf: Object.entries(mapping).map(([value, ref]) => ({
        if: { properties: { [prop]: { const: value } }, required: [prop] },
        then: { $ref: ref },
      })),
    };
    delete schema.oneOf;
    delete schema.discriminator;
    // Children extend the base through `allOf: [{$ref: base}, …]`; every other use dispatches.
    walk(spec, (node, key) => {
      if (node.$ref === REF(base) && key !== 'allOf' && node !== schemas[dispatch]) node.$ref = REF(dispatch);
    });
  }
}

const HARDWARE: Record<string, string> = {
  AWSRegionConfig20240805: 'AWSHardwareSpec20240805',
  AzureRegionConfig20240805: 'AzureHardwareSpec20240805',
  GCPRegionConfig20240805: 'GCPHardwareSpec20240805',
  TenantRegionConfig20240805: 'TenantHardwareSpec20240805',
};
const SPEC_FIELDS = ['electable', 'readOnly', 'analytics'].flatMap((kind) => [
  `${kind}Specs`,
  `effective${kind[0]!.toUpperCase()}${kind.slice(1)}Specs`,
]);

function dispatchHardware(spec: Spec): void {
  const schemas = spec.components.schemas;
  delete schemas.HardwareSpec20240805!.oneOf;
  delete schemas.DedicatedHardwareSpec20240805!.oneOf;
  for (const [regionConfig, hardware] of Object.entries(HARDWARE)) {
    const properties = Object.fromEntries(SPEC_FIELDS.map((field) => [field, { $ref: REF(hardware) }]));
    (schemas[regionConfig]!.allOf as Json[]).push({ properties });
  }
}

function convertNullable(spec: Spec): void {
  walk(spec, (node) => {
    if (node.nullable !== true || typeof node.type !== 'string') return;
    node.type = [node.type, 'null'];
    if (Array.isArray(node.enum)) node.enum = [...(node.enum as unknown[]), null];
  });
}

/** The spec, parsed and patched as described above. */
const cloudSpec: Spec = JSON.parse(
  readFileSync(new URL('fixtures/openapi-cloud-backups.json', import.meta.url), 'utf8'),
) as Spec;
dispatchDiscriminators(cloudSpec);
dispatchHardware(cloudSpec);
convertNullable(cloudSpec);

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
ajv.addFormat('double', { type: 'number', validate: () => true });
ajv.addSchema(cloudSpec, 'cloud');

/** The compiled validator of a `#/components/schemas/…` reference. */
const validatorFor = (ref: string): ValidateFunction => ajv.getSchema(`cloud${ref}`)!;

/** The GET operations of the spec by their SDK name (`x-xgen-operation-id-override`): path and 200 schema per media type. */
export const readOperations = new Map(
  Object.entries(cloudSpec.paths).flatMap(([path, methods]) => {
    const get = methods.get;
    if (!get) return [];
    const content = get.responses['200']!.content!;
    const schemas = Object.fromEntries(
      Object.entries(content).map(([mediaType, body]) => [mediaType, (body.schema as { $ref: string }).$ref]),
    );
    return [[get['x-xgen-operation-id-override'] as string, { path, schemas }] as const];
  }),
);

/** The region names of each provider: the `oneOf` branches of `regionName`, titled "AWS Regions" etc. */
const REGION_NAMES = new Map(
  (
    (cloudSpec.components.schemas.CloudRegionConfig20240805!.properties as Json).regionName as {
      oneOf: { title: string; enum: string[] }[];
    }
  ).oneOf.map((branch) => [branch.title.split(' ')[0]!.toUpperCase(), new Set(branch.enum)]),
);

/** A documented way Atlas's bodies differ from the spec: where, which check, what the value still must be. */
export interface Deviation {
  name: string;
  operations: string[];
  /** The JSON pointer of the value (`/results/N` prefixes of lists included). */
  pointer: RegExp;
  keywords: string[];
  /** The deviation, and nothing more: the value (in its parent object) must satisfy this. */
  allows: (value: unknown, parent: Json) => boolean;
  source: string;
}

const SNAPSHOTS = [
  'listBackupSnapshots',
  'getClusterBackupSnapshot',
  'listBackupShardedClusters',
  'getBackupShardedCluster',
];
const item = (field: string) => new RegExp(`^(/results/\\d+)?/${field}$`);

/** The deviations the conformance tests allow, each with its evidence. */
export const DEVIATIONS: Deviation[] = [
  {
    name: 'on-demand snapshots say frequencyType "ondemand" (outside the enum)',
    operations: SNAPSHOTS,
    pointer: item('frequencyType'),
    keywords: ['enum'],
    allows: (v) => v === 'ondemand',
    source: 'README §10.3 Snapshots (all 16 bodies here, all 1,254 in the history)',
  },
  {
    name: 'restore jobs send desiredTimestamp {increment: null, time: null, date: null}',
    operations: ['listBackupRestoreJobs', 'getBackupRestoreJob'],
    pointer: item('desiredTimestamp/(date|increment)'),
    keywords: ['type'],
    allows: (v) => v === null,
    source: 'README §10.3 Restore jobs (854/854 recorded)',
  },
  {
    name: 'compliance policy: onDemandPolicyItem null (not nullable)',
    operations: ['getCompliancePolicy'],
    pointer: /^\/onDemandPolicyItem$/,
    keywords: ['type'],
    allows: (v) => v === null,
    source: 'README §10.3 Compliance',
  },
  {
    name: 'compliance policy: updatedUser is the public API key, not an email',
    operations: ['getCompliancePolicy'],
    pointer: /^\/updatedUser$/,
    keywords: ['format'],
    allows: (v) => typeof v === 'string' && /^[a-z]{8}$/.test(v),
    source: 'README §10.3 Compliance',
  },
  {
    name: 'no compliance policy: an empty object (never 404)',
    operations: ['getCompliancePolicy'],
    pointer: /^$/,
    keywords: ['required'],
    allows: (v) => isObject(v) && Object.keys(v).length === 0,
    source:
      'mongodb/mongodb-atlas-kubernetes pkg/controller/atlasproject/backupcompliancepolicy.go ("never yields a 404")',
  },
  {
    name: "export prefix: org and project ids, no leading slash (the schema's pattern is a literal template)",
    operations: ['listBackupExports', 'getBackupExport'],
    pointer: item('prefix'),
    keywords: ['pattern'],
    allows: (v) =>
      typeof v === 'string' &&
      /^exported_snapshots\/[0-9a-f]{24}\/[0-9a-f]{24}\/[\w-]+\/\d{4}-\d\d-\d\dT\d{4}\/\d+$/.test(v),
    source: 'README §10.3 Exports',
  },
  {
    name: "cluster regionName is a string of its provider's enum (the schema: object + oneOf of overlapping string enums)",
    operations: ['listClusters', 'getCluster'],
    pointer: /^(\/results\/\d+)?\/(replicationSpecs|effectiveReplicationSpecs)\/\d+\/regionConfigs\/\d+\/regionName$/,
    // `type`: a string, not an object; `oneOf`: names such as US_EAST_2 are both AWS and Azure regions.
    keywords: ['type', 'oneOf'],
    allows: (v, parent) => typeof v === 'string' && REGION_NAMES.get(String(parent.providerName))?.has(v) === true,
    source: 'README §10.6 item 5',
  },
  {
    name: 'cluster biConnector.readPreference in lower case',
    operations: ['listClusters', 'getCluster'],
    pointer: item('biConnector/readPreference'),
    keywords: ['enum'],
    allows: (v) => v === 'primary' || v === 'secondary' || v === 'analytics',
    source: 'README §10.6 item 4',
  },
];

/** Error bodies: `parameters` holds strings and numbers where ApiError says objects. */
const PARAMETERS_DEVIATION: Deviation = {
  name: 'ApiError.parameters holds strings and numbers',
  operations: ['*'],
  pointer: /^\/parameters\/\d+$/,
  keywords: ['type'],
  allows: (v) => typeof v === 'string' || typeof v === 'number',
  source: 'README §4, §10.4',
};

/** The value at JSON pointer `pointer` of `body`. */
const at = (body: unknown, pointer: string): unknown =>
  pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((v, key) => (isObject(v) || Array.isArray(v) ? (v as Json)[key] : undefined), body);
/** The object holding the value at `pointer` (the body itself for the root). */
const parentAt = (body: unknown, pointer: string): Json => {
  const parent = at(body, pointer.slice(0, Math.max(0, pointer.lastIndexOf('/'))));
  return isObject(parent) ? parent : {};
};

/**
 * The errors of `body` against `ref` that no deviation allows for `operation`; the deviations used
 * are added to `used`. An `if` error whose `then` errors were all allowed goes too.
 */
export function violations(operation: string, ref: string, body: unknown, used = new Set<string>()): ErrorObject[] {
  const validate = validatorFor(ref);
  if (validate(body)) return [];
  const candidates = [...DEVIATIONS, PARAMETERS_DEVIATION];
  const allowed = (e: ErrorObject) => {
    const deviation = candidates.find(
      (d) =>
        (d.operations.includes(operation) || d.operations.includes('*')) &&
        d.pointer.test(e.instancePath) &&
        d.keywords.includes(e.keyword) &&
        d.allows(at(body, e.instancePath), parentAt(body, e.instancePath)),
    );
    if (deviation) used.add(deviation.name);
    return deviation !== undefined;
  };
  const rest = (validate.errors ?? []).filter((e) => !allowed(e));
  return rest.filter(
    (e) =>
      e.keyword !== 'if' ||
      rest.some((other) => other.keyword !== 'if' && other.instancePath.startsWith(e.instancePath)),
  );
}
