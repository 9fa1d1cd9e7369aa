import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtlasSimulator, type AtlasSimulator } from '../../src/simulator/server.js';
import { DEMO } from '../../src/simulator/seed.js';

// Every 200 body the simulator sends validates against its schema in the OpenAPI excerpt, and every
// error body against ApiError (with the documented quirk: `parameters` holds strings and numbers).

interface OpenApi {
  paths: Record<
    string,
    { get: { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> } }
  >;
  components: {
    schemas: Record<string, Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> }>;
  };
}

const spec = JSON.parse(readFileSync(new URL('../fixtures/openapi-backups.json', import.meta.url), 'utf8')) as OpenApi;
// Quirk 1 of the spec notes: real Atlas errors carry strings/numbers in `parameters`.
spec.components.schemas.ApiError!.properties!.parameters = { type: 'array', items: {} };

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addFormat('int32', {
  type: 'number',
  validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
});
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
ajv.addFormat('double', { type: 'number', validate: () => true });
ajv.addSchema(spec, 'openapi');
const validatorFor = (ref: string): ValidateFunction => ajv.getSchema(`openapi${ref}`)!;

/**
 * Schema violations we send on purpose: quirk 7 of the spec notes, Unix seconds typed int32. The
 * seeded restore job past 2038 carries a value beyond int32, as Atlas will from 2038-01-19 on.
 */
const isPast2038Quirk = (error: { instancePath: string; keyword: string }) =>
  error.keyword === 'format' && /\/(oplogTs|pointInTimeUTCSeconds)$/.test(error.instancePath);

function violations(validate: ValidateFunction, body: unknown) {
  return validate(body) ? [] : (validate.errors ?? []).filter((e) => !isPast2038Quirk(e));
}

/** The concrete requests to make for each spec path template. */
function cases(sim: AtlasSimulator): Record<string, string[]> {
  const demo = sim.projects.get(DEMO.groupId)!;
  const prod = demo.serverless.get(DEMO.clusterName)!;
  const migrated = demo.flex.get(DEMO.migratedCluster)!;
  const native = demo.flex.get(DEMO.flexCluster)!;
  const g = `/api/atlas/v2/groups/${DEMO.groupId}`;
  return {
    '/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/snapshots/{snapshotId}': [
      ...prod.snapshots.map((s) => `${g}/serverless/${prod.name}/backup/snapshots/${s.id}`),
      `${g}/serverless/${migrated.name}/backup/snapshots/${migrated.snapshots[0]!.id}`,
    ],
    '/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/snapshots': [
      `${g}/serverless/${prod.name}/backup/snapshots`,
      `${g}/serverless/${prod.name}/backup/snapshots?pageNum=2&itemsPerPage=2&includeCount=false`,
      `${g}/serverless/${migrated.name}/backup/snapshots`,
    ],
    '/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/restoreJobs/{restoreJobId}': [
      ...prod.restoreJobs.map((j) => `${g}/serverless/${prod.name}/backup/restoreJobs/${j.id}`),
      `${g}/serverless/${migrated.name}/backup/restoreJobs/${migrated.restoreJobs[0]!.id}`,
    ],
    '/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/restoreJobs': [
      `${g}/serverless/${prod.name}/backup/restoreJobs`,
    ],
    '/api/atlas/v2/groups/{groupId}/serverless/{name}': [
      `${g}/serverless/${prod.name}`,
      `${g}/serverless/${migrated.name}`,
    ],
    '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots/{snapshotId}': native.snapshots.map(
      (s) => `${g}/flexClusters/${native.name}/backup/snapshots/${s.id}`,
    ),
    '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots': [
      `${g}/flexClusters/${native.name}/backup/snapshots`,
      `${g}/flexClusters/${DEMO.bigFlexCluster}/backup/snapshots?pageNum=3&itemsPerPage=500`,
    ],
    '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/restoreJobs/{restoreJobId}': native.restoreJobs.map(
      (j) => `${g}/flexClusters/${native.name}/backup/restoreJobs/${j.id}`,
    ),
    '/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/restoreJobs': [
      `${g}/flexClusters/${native.name}/backup/restoreJobs`,
    ],
    '/api/atlas/v2/groups/{groupId}/flexClusters/{name}': [
      `${g}/flexClusters/${native.name}`,
      `${g}/flexClusters/${migrated.name}`,
    ],
  };
}

let sim: AtlasSimulator;
beforeAll(async () => {
  sim = await startAtlasSimulator();
});
afterAll(() => sim.close());

describe('simulator responses against the OpenAPI excerpt', () => {
  it('covers all ten operations of the excerpt', () => {
    expect(Object.keys(cases(sim)).sort()).toEqual(Object.keys(spec.paths).sort());
  });

  it.each(Object.keys(spec.paths))('200 bodies of %s validate against their schema', async (template) => {
    const [mediaType, content] = Object.entries(spec.paths[template]!.get.responses['200']!.content!)[0]!;
    const validate = validatorFor(content.schema.$ref);
    for (const path of cases(sim)[template]!) {
      const response = await fetch(sim.url + path, { headers: { accept: mediaType } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe(`${mediaType};charset=utf-8`);
      const body: unknown = await response.json();
      expect(violations(validate, body), path).toEqual([]);
    }
  });

  it('error bodies validate against ApiError', async () => {
    const validate = validatorFor('#/components/schemas/ApiError');
    const g = `/api/atlas/v2/groups/${DEMO.groupId}`;
    const paths: [string, string, number][] = [
      [`${g}/flexClusters/${DEMO.dedicatedCluster}/backup/snapshots`, 'application/vnd.atlas.2024-11-13+json', 400],
      [`${g}/flexClusters/nope/backup/snapshots`, 'application/vnd.atlas.2024-11-13+json', 404],
      [`${g}/serverless/nope/backup/snapshots`, 'application/vnd.atlas.2023-01-01+json', 404],
      [
        `/api/atlas/v2/groups/${DEMO.analyticsGroupId}/serverless/analytics-serverless/backup/restoreJobs`,
        'application/vnd.atlas.2023-01-01+json',
        403,
      ],
      [`${g}/serverless/${DEMO.clusterName}/backup/snapshots`, 'application/json', 406],
    ];
    for (const [path, accept, status] of paths) {
      const response = await fetch(sim.url + path, { headers: { accept } });
      expect(response.status, path).toBe(status);
      const body: unknown = await response.json();
      expect(violations(validate, body), path).toEqual([]);
    }
  });

  it('the sunset switch retires exactly the four serverless backup operations with 410 VERSION_GONE', async () => {
    sim.serverlessSunset = true;
    try {
      for (const [template, paths] of Object.entries(cases(sim))) {
        const mediaType = Object.keys(spec.paths[template]!.get.responses['200']!.content!)[0]!;
        const response = await fetch(sim.url + paths[0]!, { headers: { accept: mediaType } });
        const retired = template.includes('/serverless/{clusterName}/backup/');
        expect(response.status, template).toBe(retired ? 410 : 200);
        if (retired)
          expect(await response.json()).toMatchObject({ error: 410, errorCode: 'VERSION_GONE', reason: 'Gone' });
      }
    } finally {
      sim.serverlessSunset = false;
    }
  });
});
