import {
  type DynamicModule,
  type MiddlewareConsumer,
  Module,
  type NestModule,
} from '@nestjs/common';
import type { RemediationUpstream } from '../app/ingest-config';
import { requestIdMiddleware } from '../signals/http/request-context';
import {
  REMEDIATION_UPSTREAM,
  RemediationApiController,
} from './remediation-api.controller';

/** The remediation API, forwarded from the front door to REMEDIATION_URL. */
@Module({})
export class RemediationApiModule implements NestModule {
  static forRoot(upstream: RemediationUpstream): DynamicModule {
    return {
      module: RemediationApiModule,
      controllers: [RemediationApiController],
      providers: [{ provide: REMEDIATION_UPSTREAM, useValue: upstream }],
    };
  }

  // The caller's X-Request-Id (or a new one) goes on to remediation, which records it as the
  // correlation id of an approval or reset: one id from the caller's log to the event.
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestIdMiddleware).forRoutes(RemediationApiController);
  }
}
