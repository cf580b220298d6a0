import type { IncomingMessage } from 'node:http';
import { JsonlSpanExporter } from './jsonl-span-exporter';
import { TracingConfigError, type TracingSettings, tracingSettings } from './tracing-settings';

let running: { shutdown(): Promise<void> } | undefined;

// Probes and scrapes every few seconds would drown the traces that matter.
const UNTRACED_PATHS = /^\/(healthz|readyz|metrics)(\?|$)/;

/**
 * Starts the OpenTelemetry SDK with the HTTP, pg and kafkajs instrumentations. It must run before
 * Nest, express, pg or kafkajs are loaded: the instrumentations patch modules as they are
 * required (each service's `src/tracing.ts`, imported first by its main.ts). The bundles keep
 * node_modules external, so those modules are still loaded through `require` at run time.
 *
 * The SDK and instrumentations are required here, not imported at the top: a service with
 * tracing off (the default) never loads them, nor does every unit test that imports this lib
 * for its context helpers.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): TracingSettings {
  const settings = tracingSettings(service, env);
  if (!settings.enabled || running) return settings;
  const { startNodeSdk } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { KafkaJsInstrumentation } = require('@opentelemetry/instrumentation-kafkajs') as typeof import('@opentelemetry/instrumentation-kafkajs');
  running = startNodeSdk({
    // OTEL_SERVICE_NAME, when set, is read by the SDK itself (and settings.serviceName agrees).
    ...(env['OTEL_SERVICE_NAME'] ? {} : { resourceAttributes: { 'service.name': service } }),
    logLevel: env['OTEL_LOG_LEVEL'] ?? 'warn',
    // Metrics are Prometheus (/metrics) and logs go to stdout: the SDK exports traces only.
    metricReaders: [],
    logRecordProcessors: [],
    ...(settings.file ? { spanProcessors: fileProcessors(settings) } : {}),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED_PATHS.test(req.url ?? ''),
        // express (under Nest) leaves the matched route on the request: name the span after it.
        applyCustomAttributesOnSpan: (span, request) => {
          const req = request as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
          if (typeof req.route?.path !== 'string') return;
          const route = `${req.baseUrl ?? ''}${req.route.path}`;
          span.setAttribute('http.route', route);
          span.updateName(`${req.method ?? 'GET'} ${route}`);
        },
      }),
      // Only inside a traced piece of work: the relay's and pollers' idle queries would each start a trace.
      new PgInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation(),
    ],
  });
  return settings;
}

/** Flushes what is buffered and stops exporting; the last step of a shutdown. */
export async function shutdownTracing(): Promise<void> {
  const sdk = running;
  running = undefined;
  await sdk?.shutdown();
}

function fileProcessors(settings: TracingSettings) {
  const { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  // A short delay keeps the file close to real time for tests; the large queue keeps a load
  // test's spans (thousands a second) from being dropped before the one a test looks for.
  const file = new BatchSpanProcessor({
    exporter: new JsonlSpanExporter(settings.file as string),
    scheduledDelayMillis: 200,
    maxQueueSize: 100_000,
    maxExportBatchSize: 5_000,
  });
  return settings.sdkExporters.includes('console') ? [file, new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() })] : [file];
}

/**
 * What each service's `src/tracing.ts` calls: starts tracing, or stops the process with exit
 * code 2 and the variable named, as the rest of the configuration does (service-runtime).
 */
export function bootTracing(service: string, env: NodeJS.ProcessEnv = process.env): TracingSettings | undefined {
  try {
    return startTracing(service, env);
  } catch (error) {
    if (!(error instanceof TracingConfigError)) throw error;
    process.stderr.write(`${service}: ${error.message}\n`);
    process.exit(2);
  }
}
