import 'reflect-metadata';
import { startService } from '@incident/service-runtime';
import { AppModule } from './app/app.module';

void startService({ name: 'classifier', defaultPort: 8081, module: AppModule.forRoot });
