import 'reflect-metadata';
import { startService } from '@incident/service-runtime';
import { AppModule } from './app/app.module';

void startService({ name: 'correlation', defaultPort: 8082, module: AppModule.forRoot });
