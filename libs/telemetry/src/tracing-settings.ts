/** What tracing does in this process, decided from the environment before anything loads. */
export interface TracingSettings {
  enabled: boolean;
  /** service.name: OTEL_SERVICE_NAME, else the service's own name. */
  serviceName: string;
  /** Exporters the OpenTelemetry SDK builds from OTEL_* itself (OTLP endpoint, protocol, headers). */
  sdkExporters: readonly ('otlp' | 'console')[];
  /** INCIDENT_TRACE_FILE: every span as one JSON line (tests, local debugging). */
  file?: string;
  /** For the boot log line: why tracing is on or off. */
  reason: string;
}

/** A tracing variable the service cannot start with (exit 2, like the other configuration). */
export class TracingConfigError extends Error {
  readonly code = 'INVALID_CONFIGURATION';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TracingConfigError';
  }
}

const SDK_EXPORTERS = ['otlp', 'console'] as const;

/**
 * Off unless configured (issue 6): the SDK's own default would be OTLP to localhost:4318, which
 * would make every service without a collector retry exports forever. On when
 * OTEL_TRACES_EXPORTER names an exporter, when an OTLP endpoint is set (exporter `otlp`), or
 * when INCIDENT_TRACE_FILE is set. OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none win.
 * `{service}` in INCIDENT_TRACE_FILE becomes the service name, so services that share one
 * environment (the e2e stack) write one file each.
 */
export function tracingSettings(service: string, env: NodeJS.ProcessEnv): TracingSettings {
  const serviceName = text(env['OTEL_SERVICE_NAME']) ?? service;
  const off = (reason: string): TracingSettings => ({ enabled: false, serviceName, sdkExporters: [], reason });
  if (text(env['OTEL_SDK_DISABLED'])?.toLowerCase() === 'true') return off('OTEL_SDK_DISABLED=true');
  const named = (text(env['OTEL_TRACES_EXPORTER']) ?? '')
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  if (named.includes('none')) return off('OTEL_TRACES_EXPORTER=none');
  const problems = named
    .filter((n) => !(SDK_EXPORTERS as readonly string[]).includes(n))
    .map((n) => `OTEL_TRACES_EXPORTER: "${n}" is not an exporter; use otlp, console or none (INCIDENT_TRACE_FILE for a file)`);
  const file = text(env['INCIDENT_TRACE_FILE'])?.replaceAll('{service}', service);
  // The SDK builds OTLP only when it builds every exporter; with a file it is given the processors.
  if (file && named.includes('otlp')) problems.push('INCIDENT_TRACE_FILE: cannot be combined with OTEL_TRACES_EXPORTER=otlp; unset one');
  if (problems.length > 0) throw new TracingConfigError(problems);
  const endpoint = text(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) ?? text(env['OTEL_EXPORTER_OTLP_ENDPOINT']);
  const sdkExporters = (named.length > 0 ? named : endpoint && !file ? ['otlp'] : []) as ('otlp' | 'console')[];
  if (!file && sdkExporters.length === 0) return off('no OTEL_TRACES_EXPORTER, OTLP endpoint or INCIDENT_TRACE_FILE');
  const to = [...sdkExporters, ...(file ? [file] : [])].join(', ');
  return { enabled: true, serviceName, sdkExporters, ...(file ? { file } : {}), reason: `exporting to ${to}` };
}

function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
