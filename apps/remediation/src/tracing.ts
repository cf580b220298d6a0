// Imported first by main.ts: the OpenTelemetry instrumentations patch http, express, pg and kafkajs
// as they are required, so tracing must start before anything else loads them.
import { bootTracing } from '@incident/telemetry';

bootTracing('remediation');
