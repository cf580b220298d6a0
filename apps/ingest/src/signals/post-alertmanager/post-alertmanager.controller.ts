import {
  Controller,
  HttpCode,
  Inject,
  Post,
  Req,
  UseFilters,
} from '@nestjs/common';
import { RequireScope } from '@incident/service-runtime';
import { alertmanagerToSignals } from '@incident/signal-intake';
import type { Request } from 'express';
import { withinBatchLimit } from '../http/batch-limit';
import { ALERTMANAGER_BODY, IntakeOperation } from '../http/api-docs';
import { invalidInput, requireContentType } from '../http/input-errors';
import { IntakeRefusedFilter } from '../http/intake-refused.filter';
import { recordingContext } from '../http/request-context';
import type { SignalsAnswer } from '../recording/answer';
import { Recorder } from '../recording/recorder';

/**
 * `POST /v1/signals/alertmanager`: an Alertmanager webhook (version 4), one signal per alert.
 * Alertmanager retries on 5xx and 429, so a 503 or a rate limit loses no notification.
 */
@Controller('v1/signals')
@UseFilters(IntakeRefusedFilter)
export class PostAlertmanagerController {
  constructor(@Inject(Recorder) private readonly recorder: Recorder) {}

  @Post('alertmanager')
  @HttpCode(202)
  @RequireScope('signals:write')
  @IntakeOperation({
    summary: 'Record an Alertmanager webhook (v4): one signal per alert',
    consumes: 'application/json',
    body: ALERTMANAGER_BODY,
    answers: 'signals',
  })
  accept(@Req() req: Request): Promise<SignalsAnswer> {
    requireContentType(req, 'application/json');
    const parsed = withinBatchLimit(alertmanagerToSignals(req.body), 'alerts');
    if (!parsed.ok) throw invalidInput('invalid_signals', parsed.issues);
    return this.recorder.acceptSignals(
      parsed.value,
      'alertmanager',
      recordingContext(req, new Date()),
    );
  }
}
