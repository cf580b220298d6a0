import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Streams } from '@incident/contracts';
import { EventStore } from '@incident/event-store';
import { incidentNotFound } from '../http/not-found';
import { IncidentIdSchema } from '../http/params';
import { ValidParam, ValidQuery } from '../http/validated';
import { ApiErrors, Scoped } from '../openapi/api-docs';
import { type IncidentView, incidentView } from './incident-view';
import { IncidentStateSchema } from './responses';
import { type StateQuery, StateQuerySchema } from './state-query';

@ApiTags('incidents')
@Controller('v1/incidents')
export class GetIncidentController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @Get(':id')
  @Scoped('incidents:read')
  @ApiOperation({
    summary: 'An incident\'s state, now or as of then',
    description:
      'Folded from the incident\'s own events, not from the read model. `at` gives the state from the events the log had ' +
      'recorded at that instant; `version` the state after that stream version; with both, whichever is earlier.',
  })
  @ApiOkResponse({ description: 'the folded state', standardSchema: IncidentStateSchema })
  @ApiErrors(400, 404)
  async get(@ValidParam('id', IncidentIdSchema) id: string, @ValidQuery(StateQuerySchema) query: StateQuery): Promise<IncidentView> {
    const events = await this.store.readStream(Streams.incident(id), { asOf: query.at, toVersion: query.version });
    const view = incidentView(events, query);
    if (!view) throw incidentNotFound(id, query);
    return view;
  }
}
