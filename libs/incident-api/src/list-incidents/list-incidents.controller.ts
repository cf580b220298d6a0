import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ValidQuery } from '../http/validated';
import { ApiErrors, Scoped } from '../openapi/api-docs';
import { type IncidentPage, IncidentsReadModel } from './incidents-read-model';
import { type ListQuery, ListQuerySchema } from './list-query';
import { IncidentPageSchema } from './responses';

@ApiTags('incidents')
@Controller('v1/incidents')
export class ListIncidentsController {
  constructor(@Inject(IncidentsReadModel) private readonly readModel: IncidentsReadModel) {}

  @Get()
  @Scoped('incidents:read')
  @ApiOperation({
    summary: 'List incidents',
    description: 'Newest first (opened_at descending, then id), from the incidents read model, which follows the log within moments.',
  })
  @ApiOkResponse({ description: 'a page of incidents', standardSchema: IncidentPageSchema })
  @ApiErrors(400)
  list(@ValidQuery(ListQuerySchema) query: ListQuery): Promise<IncidentPage> {
    return this.readModel.list(query);
  }
}
