import {
  Controller,
  HttpCode,
  Inject,
  Post,
  Req,
  UseFilters,
} from '@nestjs/common';
import { RequireScope } from '@incident/service-runtime';
import type { Request } from 'express';
import { TRAFFIC_BODY, IntakeOperation } from '../http/api-docs';
import { invalidInput, requireContentType } from '../http/input-errors';
import { IntakeRefusedFilter } from '../http/intake-refused.filter';
import { recordingContext } from '../http/request-context';
import type { TrafficAnswer } from '../recording/answer';
import { Recorder } from '../recording/recorder';
import { parseTrafficBody } from './traffic-body';

/** `POST /v1/traffic`: requests and errors over a window, so error rates are real rates. */
@Controller('v1/traffic')
@UseFilters(IntakeRefusedFilter)
export class PostTrafficController {
  constructor(@Inject(Recorder) private readonly recorder: Recorder) {}

  @Post()
  @HttpCode(202)
  @RequireScope('signals:write')
  @IntakeOperation({
    summary:
      'Record traffic samples (requests and errors over a window) of a source',
    consumes: 'application/json',
    body: TRAFFIC_BODY,
    answers: 'samples',
  })
  accept(@Req() req: Request): Promise<TrafficAnswer> {
    requireContentType(req, 'application/json');
    const parsed = parseTrafficBody(req.body);
    if (!parsed.ok) throw invalidInput('invalid_traffic', parsed.issues);
    return this.recorder.acceptTraffic(
      parsed.value,
      recordingContext(req, new Date()),
    );
  }
}
