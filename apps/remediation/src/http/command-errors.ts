import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { RemediationCommandRejected, type RejectionKind } from '@incident/remediation-domain';
import type { Response } from 'express';

/** The stream moved past the version the caller decided on; nothing was recorded. */
export class StaleVersion extends Error {
  constructor(
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`the stream is at version ${actualVersion}, not ${expectedVersion}: read it again and retry`);
    this.name = 'StaleVersion';
  }
}

const STATUS: Record<RejectionKind, number> = { conflict: 409, invalid: 422, not_found: 404 };

/** A refused command as HTTP: the domain's stable code is the `error` clients branch on. */
@Catch(RemediationCommandRejected, StaleVersion)
export class CommandRefusedFilter implements ExceptionFilter<RemediationCommandRejected | StaleVersion> {
  catch(error: RemediationCommandRejected | StaleVersion, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (error instanceof StaleVersion) {
      res.status(409).json({ error: 'stale_version', message: error.message, expectedVersion: error.expectedVersion, actualVersion: error.actualVersion });
      return;
    }
    res.status(STATUS[error.kind]).json({ error: error.code, message: error.message });
  }
}
