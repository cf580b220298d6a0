import 'reflect-metadata';
import { startService } from '@incident/service-runtime';
import { AppModule } from './app/app.module';

void startService({ name: 'ingest', defaultPort: 8080, module: AppModule.forRoot });
