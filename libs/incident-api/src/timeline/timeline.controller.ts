import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Streams } from '@incident/contracts';
import { EventStore } from '@incident/event-store';
import { incidentNotFound } from '../http/not-found';
import { IncidentIdSchema } from '../http/params';
import { ValidParam } from '../http/validated';
import { ApiErrors, Scoped } from '../openapi/api-docs';
import { type Timeline, TimelineSchema } from './responses';
import { renderTimeline } from './timeline';

@ApiTags('incidents')
@Controller('v1/incidents')
export class TimelineController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @Get(':id/timeline')
  @Scoped('incidents:read')
  @ApiOperation({
    summary: 'An incident\'s human timeline',
    description: 'One entry per decision (what, when in UTC, who or what decided, the rule, policy version and inputs); signals collapsed into counts.',
  })
  @ApiOkResponse({ description: 'the timeline', standardSchema: TimelineSchema })
  @ApiErrors(400, 404)
  async timeline(@ValidParam('id', IncidentIdSchema) id: string): Promise<Timeline> {
    const events = await this.store.readStream(Streams.incident(id));
    if (events.length === 0) throw incidentNotFound(id);
    const entries = renderTimeline(
      events.map((e) => ({
        type: e.type,
        version: e.streamVersion,
        occurredAt: e.occurredAt.toISOString(),
        recordedAt: e.recordedAt.toISOString(),
        payload: e.payload,
        metadata: e.metadata,
      })),
    );
    return { incidentId: id, version: events[events.length - 1].streamVersion, entries };
  }
}
