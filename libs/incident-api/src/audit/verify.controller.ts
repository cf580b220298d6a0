import { Controller, Get, Inject, NotFoundException, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventStore, type VerifyResult } from '@incident/event-store';
import type { Response } from 'express';
import { z } from 'zod';
import { ValidQuery } from '../http/validated';
import { ApiErrors, Scoped } from '../openapi/api-docs';

const VerifyQuerySchema = z.strictObject({
  stream: z.string().min(1).max(500).optional().describe('one stream id (e.g. incident-<id>); the whole log when absent'),
});

const VerifiedSchema = z
  .object({ ok: z.literal(true), streamsChecked: z.int(), eventsChecked: z.int() })
  .meta({ id: 'Verified' });
const BrokenSchema = z
  .object({
    ok: z.literal(false),
    streamId: z.string(),
    streamVersion: z.int().describe('the first version found changed, missing or inserted'),
    reason: z.string(),
    message: z.string(),
  })
  .meta({ id: 'Broken' });

type Answer = VerifyResult | (Extract<VerifyResult, { ok: false }> & { message: string });

@ApiTags('audit')
@Controller('v1/audit')
export class VerifyController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @Get('verify')
  @Scoped('audit:read')
  @ApiOperation({
    summary: 'Prove the log was not altered',
    description: 'Recomputes the hash chain of one stream or of every stream and holds each against its stream head.',
  })
  @ApiOkResponse({ description: 'every event checked is as it was appended', standardSchema: VerifiedSchema })
  @ApiConflictResponse({ description: 'the chain is broken: the first stream and version found wrong', standardSchema: BrokenSchema })
  @ApiErrors(400, 404)
  async verify(@ValidQuery(VerifyQuerySchema) query: z.output<typeof VerifyQuerySchema>, @Res({ passthrough: true }) res: Response): Promise<Answer> {
    const result = await this.store.verify(query.stream);
    if (result.ok) {
      // "ok, 0 streams" for a stream that does not exist would read like a clean bill of health.
      if (query.stream && result.streamsChecked === 0) throw new NotFoundException({ error: 'not_found', message: `no stream ${query.stream}` });
      return result;
    }
    res.status(409);
    return { ...result, message: `stream ${result.streamId} is broken at version ${result.streamVersion}: ${result.reason}` };
  }
}
