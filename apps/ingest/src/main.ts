import './tracing';
import 'reflect-metadata';
import { setupOpenApi } from '@incident/incident-api';
import { ConfigError, startService } from '@incident/service-runtime';
import { AppModule } from './app/app.module';
import { countRejections } from './signals/http/rejections';
import { IngestMetrics } from './signals/metrics';

startService({
  name: 'ingest',
  defaultPort: 8080,
  module: (ctx) => AppModule.forRoot(ctx),
  beforeBodyParsers: (app) => app.use(countRejections(app.get(IngestMetrics))),
  beforeInit: setupOpenApi,
}).catch((error: unknown) => {
  // Ingest's own settings are read while the module is built, after the runtime's: same exit code 2.
  if (error instanceof ConfigError) {
    process.stderr.write(`ingest: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
});
