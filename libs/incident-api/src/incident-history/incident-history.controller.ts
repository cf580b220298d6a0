import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Streams } from '@incident/contracts';
import { EventStore } from '@incident/event-store';
import { incidentNotFound } from '../http/not-found';
import { IncidentIdSchema, MAX_VERSION } from '../http/params';
import { ValidParam, ValidQuery } from '../http/validated';
import { ApiErrors, Scoped } from '../openapi/api-docs';
import { type HistoryPage, historyPage } from './history';
import { type HistoryQuery, HistoryQuerySchema } from './history-query';
import { HistoryPageSchema } from './responses';

@ApiTags('incidents')
@Controller('v1/incidents')
export class IncidentHistoryController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @Get(':id/events')
  @Scoped('incidents:read')
  @ApiOperation({ summary: 'An incident\'s raw event history', description: 'The stream as stored, in version order, a page at a time.' })
  @ApiOkResponse({ description: 'a page of the stream', standardSchema: HistoryPageSchema })
  @ApiErrors(400, 404)
  async history(@ValidParam('id', IncidentIdSchema) id: string, @ValidQuery(HistoryQuerySchema) query: HistoryQuery): Promise<HistoryPage> {
    const stream = Streams.incident(id);
    // One event past the page says whether there is more.
    const toVersion = Math.min(query.fromVersion + query.limit, MAX_VERSION);
    const events = await this.store.readStream(stream, { fromVersion: query.fromVersion, toVersion });
    if (events.length === 0 && (await this.store.readStream(stream, { toVersion: 1 })).length === 0) throw incidentNotFound(id);
    return historyPage(id, events, query.limit);
  }
}
