import { type DynamicModule, Module } from '@nestjs/common';
import { type RuntimeOptions, ServiceRuntimeModule } from '@incident/service-runtime';

@Module({})
export class AppModule {
  static forRoot(runtime: RuntimeOptions): DynamicModule {
    return { module: AppModule, imports: [ServiceRuntimeModule.forRoot(runtime)] };
  }
}
