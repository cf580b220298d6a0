import './tracing';
import 'reflect-metadata';
import { MessagingConfigError } from '@incident/messaging';
import { ConfigError, startService } from '@incident/service-runtime';
import { AppModule } from './app/app.module';

startService({ name: 'correlation', defaultPort: 8082, module: AppModule.forRoot }).catch((error: unknown) => {
  // A configuration error names each bad variable: say it once and exit 2, as startService does.
  process.stderr.write(`correlation: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError || error instanceof MessagingConfigError ? 2 : 1);
});
