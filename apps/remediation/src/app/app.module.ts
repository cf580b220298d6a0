import { type DynamicModule, Module } from '@nestjs/common';
import { TOPICS, Topics } from '@incident/contracts';
import { loadMessagingConfig, MessagingModule } from '@incident/messaging';
import { METRICS_REGISTRY, type RuntimeOptions, ServiceRuntimeModule } from '@incident/service-runtime';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { ApproveStepController } from '../approve-step/approve-step.controller';
import { CircuitBreakersController } from '../circuit-breakers/circuit-breakers.controller';
import type { RemediationDeps } from '../log/remediation-deps';
import { reactToIncidentHandler } from '../react-to-incidents/react-to-incident';
import { RemediationController } from '../read-remediation/remediation.controller';
import { loadRemediationSettings } from './remediation-config';
import { REMEDIATION_DEPS, RemediationCoreModule } from './remediation-core.module';

/** Where remediation reads from; production uses the defaults, integration tests topics of their own. */
export interface RemediationWiring {
  groupId: string;
  incidentsTopic: string;
  /** Created at boot when missing. */
  topics: readonly { name: string; partitions: number }[];
}

const PRODUCTION: RemediationWiring = { groupId: 'remediation', incidentsTopic: Topics.incidents, topics: TOPICS };

@Module({})
export class AppModule {
  static forRoot(ctx: RuntimeOptions & { env: NodeJS.ProcessEnv }, wiring: Partial<RemediationWiring> = {}): DynamicModule {
    const w = { ...PRODUCTION, ...wiring };
    // Read at boot so a bad variable stops the service before it takes any work.
    const settings = loadRemediationSettings(ctx.env);
    const messaging = loadMessagingConfig(ctx.env, { clientId: 'remediation' });
    const core = RemediationCoreModule.forRoot(settings, ctx.config.database.schema);
    return {
      module: AppModule,
      imports: [
        ServiceRuntimeModule.forRoot(ctx),
        core,
        MessagingModule.forRootAsync({
          imports: [core],
          inject: [DataSource, REMEDIATION_DEPS, METRICS_REGISTRY],
          useFactory: (dataSource: DataSource, deps: RemediationDeps, registry: Registry) => ({
            config: messaging,
            metrics: registry,
            topics: w.topics,
            consumers: [{ groupId: w.groupId, dataSource, schema: ctx.config.database.schema, handlers: [reactToIncidentHandler(deps, w.incidentsTopic)] }],
          }),
        }),
      ],
      controllers: [ApproveStepController, CircuitBreakersController, RemediationController],
    };
  }
}
