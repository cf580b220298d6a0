import { type DynamicModule, Module } from '@nestjs/common';
import { CheckpointStore, EventStore } from '@incident/event-store';
import { DataSource } from 'typeorm';
import { VerifyController } from './audit/verify.controller';
import { IncidentHistoryController } from './incident-history/incident-history.controller';
import { GetIncidentController } from './incident-state/get-incident.controller';
import { IncidentsReadModel } from './list-incidents/incidents-read-model';
import { ListIncidentsController } from './list-incidents/list-incidents.controller';
import { PostmortemController } from './postmortem/postmortem.controller';
import { IncidentProjection, type IncidentProjectionOptions } from './projection/incident-projection';
import { IncidentProjector, PROJECTOR_OPTIONS, type ProjectorOptions } from './projection/incident-projector';
import { ResponderCommandsController } from './responder-commands/responder-commands.controller';
import { TimelineController } from './timeline/timeline.controller';

export interface IncidentApiOptions {
  projector?: ProjectorOptions & IncidentProjectionOptions;
}

export const INCIDENT_API_CONTROLLERS = [
  ListIncidentsController,
  GetIncidentController,
  IncidentHistoryController,
  TimelineController,
  ResponderCommandsController,
  PostmortemController,
  VerifyController,
];

/**
 * The incident API (reads and responder commands) and the projector behind its list. Needs
 * DataSource and EventStore, which ServiceRuntimeModule (global) provides; import it next to
 * that module in the app.
 */
@Module({})
export class IncidentApiModule {
  static forRoot(options: IncidentApiOptions = {}): DynamicModule {
    return {
      module: IncidentApiModule,
      controllers: INCIDENT_API_CONTROLLERS,
      providers: [
        { provide: PROJECTOR_OPTIONS, useValue: options.projector ?? {} },
        {
          provide: IncidentProjection,
          inject: [DataSource, EventStore],
          useFactory: (ds: DataSource, store: EventStore) =>
            new IncidentProjection(ds, store, new CheckpointStore(ds), { batchSize: options.projector?.batchSize }),
        },
        { provide: IncidentsReadModel, inject: [DataSource], useFactory: (ds: DataSource) => new IncidentsReadModel(ds) },
        IncidentProjector,
      ],
      exports: [IncidentProjection, IncidentProjector, IncidentsReadModel],
    };
  }
}
