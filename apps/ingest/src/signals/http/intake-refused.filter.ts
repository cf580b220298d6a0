import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { IntakeRefusedError } from '../recording/recorder';

const STATUS = { rate_limited: 429, log_unavailable: 503 } as const;

/** 429 and 503 both tell the publisher when to come back (Retry-After, in seconds). */
@Catch(IntakeRefusedError)
export class IntakeRefusedFilter implements ExceptionFilter {
  catch(error: IntakeRefusedError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    res
      .status(STATUS[error.reason])
      .setHeader('Retry-After', String(error.retryAfterSeconds))
      .json({
        error: error.reason,
        message: error.message,
        retryAfterSeconds: error.retryAfterSeconds,
      });
  }
}
