import { TracingConfigError, tracingSettings } from './tracing-settings';

describe('tracing is off unless configured', () => {
  it('is off with no OTEL_* variable and no trace file', () => {
    expect(tracingSettings('ingest', {})).toMatchObject({ enabled: false, serviceName: 'ingest' });
  });

  it('exports OTLP when an endpoint is set, and what OTEL_TRACES_EXPORTER names', () => {
    expect(tracingSettings('ingest', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toMatchObject({ enabled: true, sdkExporters: ['otlp'] });
    expect(tracingSettings('ingest', { OTEL_TRACES_EXPORTER: 'console' })).toMatchObject({ enabled: true, sdkExporters: ['console'] });
    expect(tracingSettings('ingest', { OTEL_TRACES_EXPORTER: 'otlp,console', OTEL_SERVICE_NAME: 'edge' })).toMatchObject({ serviceName: 'edge', sdkExporters: ['otlp', 'console'] });
  });

  it('writes one file per service when INCIDENT_TRACE_FILE names {service}', () => {
    expect(tracingSettings('classifier', { INCIDENT_TRACE_FILE: '/tmp/t/{service}.jsonl' })).toMatchObject({ enabled: true, sdkExporters: [], file: '/tmp/t/classifier.jsonl' });
    // An endpoint set elsewhere does not turn OTLP on next to the file.
    expect(tracingSettings('classifier', { INCIDENT_TRACE_FILE: '/tmp/x.jsonl', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).sdkExporters).toEqual([]);
  });

  it('is off when OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none says so', () => {
    expect(tracingSettings('ingest', { OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }).enabled).toBe(false);
    expect(tracingSettings('ingest', { OTEL_TRACES_EXPORTER: 'none', INCIDENT_TRACE_FILE: '/tmp/x' }).enabled).toBe(false);
  });

  it('refuses an unknown exporter, and OTLP next to a trace file, naming the variable', () => {
    expect(() => tracingSettings('ingest', { OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/OTEL_TRACES_EXPORTER: "jaeger" is not an exporter/);
    expect(() => tracingSettings('ingest', { OTEL_TRACES_EXPORTER: 'otlp', INCIDENT_TRACE_FILE: '/tmp/x' })).toThrow(TracingConfigError);
  });
});
