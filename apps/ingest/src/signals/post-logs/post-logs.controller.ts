import {
  Controller,
  HttpCode,
  Inject,
  Post,
  Query,
  Req,
  UseFilters,
} from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { RequireScope } from '@incident/service-runtime';
import type { Request } from 'express';
import { LOG_BODY, IntakeOperation } from '../http/api-docs';
import { invalidInput, requireContentType } from '../http/input-errors';
import { IntakeRefusedFilter } from '../http/intake-refused.filter';
import { recordingContext } from '../http/request-context';
import type { SignalsAnswer } from '../recording/answer';
import { Recorder } from '../recording/recorder';
import { parseLogBody } from './log-body';

/** `POST /v1/signals/logs`: `text/plain` in the playbook's log format, several entries per body. */
@Controller('v1/signals')
@UseFilters(IntakeRefusedFilter)
export class PostLogsController {
  constructor(@Inject(Recorder) private readonly recorder: Recorder) {}

  @Post('logs')
  @HttpCode(202)
  @RequireScope('signals:write')
  @IntakeOperation({
    summary:
      "Record log entries in the playbook's format (source: per entry, or ?source=)",
    consumes: 'text/plain',
    body: LOG_BODY,
    answers: 'signals',
  })
  @ApiQuery({
    name: 'source',
    required: false,
    description: 'the publishing service, for entries without a "source:" line',
  })
  accept(
    @Req() req: Request,
    @Query('source') source: unknown,
  ): Promise<SignalsAnswer> {
    requireContentType(req, 'text/plain');
    const parsed = parseLogBody(req.body, source);
    if (!parsed.ok) throw invalidInput('invalid_signals', parsed.issues);
    return this.recorder.acceptSignals(
      parsed.value,
      'http-log',
      recordingContext(req, new Date()),
    );
  }
}
