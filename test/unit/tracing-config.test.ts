import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

// The OTEL_* variables (issue #15 traces): tracing is on only with an endpoint, and a header value
// (a tracing backend's key) never shows in the config's text or in a problem.

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('tracing configuration', () => {
  it('is off without an endpoint, and with OTEL_SDK_DISABLED=true whatever the endpoint', () => {
    expect(loadConfig({}).tracing).toBeUndefined();
    expect(loadConfig({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on' }).tracing).toBeUndefined();
    const disabled = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' };
    expect(loadConfig(disabled).tracing).toBeUndefined();
  });

  it('posts to <endpoint>/v1/traces, or to the traces endpoint as is; defaults as the OTel spec has them', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      url: 'http://collector:4318/v1/traces',
      headers: {},
      serviceName: 'atlas-backups-graphql',
      resourceAttributes: {},
      sampler: 'parentbased_always_on',
      ratio: 1,
    });
    const both = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp/v1/spans',
    };
    expect(loadConfig(both).tracing?.url).toBe('https://traces.example/otlp/v1/spans');
  });

  it('reads the service name, resource attributes, sampler and ratio', () => {
    const tracing = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_SERVICE_NAME: 'backups-eu',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod, team=data%20platform',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    }).tracing;
    expect(tracing).toMatchObject({
      serviceName: 'backups-eu',
      resourceAttributes: { 'deployment.environment.name': 'prod', team: 'data platform' },
      sampler: 'parentbased_traceidratio',
      ratio: 0.25,
    });
  });

  it('keeps export headers secret: decoded for the wire, redacted in text', () => {
    const key = 'hc-key-5a9d0c7e1b2f';
    const tracing = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: `x-honeycomb-team=${key},x-other=a%3Db`,
    }).tracing!;
    expect(tracing.headers['x-honeycomb-team']?.reveal()).toBe(key);
    expect(tracing.headers['x-other']?.reveal()).toBe('a=b');
    expect(JSON.stringify(tracing)).not.toContain(key);
    expect(inspect(tracing, { depth: 10 })).not.toContain(key);
  });

  it('reports every bad variable at once, naming a bad header entry by its position only', () => {
    const found = problems({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'good=1,secret-without-equals-0d7c6a51',
      OTEL_TRACES_SAMPLER: 'jaeger_remote',
      OTEL_TRACES_SAMPLER_ARG: '2',
      OTEL_SERVICE_NAME: 'has spaces',
    });
    expect(found.map((p) => p.split(' ')[0])).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_HEADERS',
      'OTEL_SERVICE_NAME',
      'OTEL_TRACES_SAMPLER',
      'OTEL_TRACES_SAMPLER_ARG',
    ]);
    expect(found.find((p) => p.startsWith('OTEL_EXPORTER_OTLP_HEADERS'))).toContain('entry 2');
    expect(found.join(' ')).not.toContain('0d7c6a51');
  });

  it('notes a protocol other than http/json (spans still go as JSON over HTTP)', () => {
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    });
    expect(config.tracing).toBeDefined();
    expect(config.notes).toContain(
      'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf is not supported: spans are sent as http/json',
    );
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).notes,
    ).toEqual([]);
  });
});
