import {
  Controller,
  HttpCode,
  Inject,
  Post,
  Req,
  UseFilters,
} from '@nestjs/common';
import { RequireScope } from '@incident/service-runtime';
import { parseJsonSignals } from '@incident/signal-intake';
import type { Request } from 'express';
import { SIGNALS_BODY, IntakeOperation } from '../http/api-docs';
import { invalidInput, requireContentType } from '../http/input-errors';
import { IntakeRefusedFilter } from '../http/intake-refused.filter';
import { recordingContext } from '../http/request-context';
import type { SignalsAnswer } from '../recording/answer';
import { Recorder } from '../recording/recorder';

/** `POST /v1/signals`: one JSON signal or an array of up to 1,000. */
@Controller('v1/signals')
@UseFilters(IntakeRefusedFilter)
export class PostSignalsController {
  constructor(@Inject(Recorder) private readonly recorder: Recorder) {}

  @Post()
  @HttpCode(202)
  @RequireScope('signals:write')
  @IntakeOperation({
    summary: 'Record one JSON signal or a batch of up to 1,000',
    consumes: 'application/json',
    body: SIGNALS_BODY,
    answers: 'signals',
  })
  accept(@Req() req: Request): Promise<SignalsAnswer> {
    requireContentType(req, 'application/json');
    const parsed = parseJsonSignals(req.body);
    if (!parsed.ok) throw invalidInput('invalid_signals', parsed.issues);
    return this.recorder.acceptSignals(
      parsed.value,
      'http-json',
      recordingContext(req, new Date()),
    );
  }
}
