import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { IncidentCommandRejected, type RejectionKind } from '@incident/incident-domain';
import type { Response } from 'express';
import { StaleVersion } from './handle-responder-command';

export interface ErrorAnswer {
  status: number;
  body: { error: string; message: string; expectedVersion?: number; actualVersion?: number };
}

const STATUS: Record<RejectionKind, number> = { conflict: 409, invalid: 422, not_found: 404 };

/**
 * A refused command as HTTP. The domain's code is the `error` so clients can branch on it
 * (ALREADY_ACKNOWLEDGED, INCIDENT_RESOLVED, ...); a stale version says which version is current.
 */
export function errorAnswer(error: IncidentCommandRejected | StaleVersion): ErrorAnswer {
  if (error instanceof StaleVersion) {
    const { expectedVersion, actualVersion, message } = error;
    return { status: 409, body: { error: 'stale_version', message, expectedVersion, actualVersion } };
  }
  return { status: STATUS[error.kind], body: { error: error.code, message: error.message } };
}

/** Answers the two errors handleResponderCommand throws for a refused command; anything else stays a 500. */
@Catch(IncidentCommandRejected, StaleVersion)
export class CommandRefusedFilter implements ExceptionFilter<IncidentCommandRejected | StaleVersion> {
  catch(error: IncidentCommandRejected | StaleVersion, host: ArgumentsHost): void {
    const { status, body } = errorAnswer(error);
    host.switchToHttp().getResponse<Response>().status(status).json(body);
  }
}
