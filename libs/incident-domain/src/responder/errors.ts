/**
 * A responder command the incident's state does not allow. `conflict` is a state problem
 * (HTTP 409: already acknowledged, already resolved), `invalid` a rule about the input itself
 * (HTTP 422: an empty reason, a due date that is not a date), `not_found` a missing target (404).
 */
export type RejectionKind = 'conflict' | 'invalid' | 'not_found';

export class IncidentCommandRejected extends Error {
  constructor(
    readonly code: string,
    readonly kind: RejectionKind,
    message: string,
  ) {
    super(message);
    this.name = 'IncidentCommandRejected';
  }
}

export const reject = {
  notFound: (what: string) => new IncidentCommandRejected('NOT_FOUND', 'not_found', `${what} does not exist`),
  resolved: (command: string) =>
    new IncidentCommandRejected('INCIDENT_RESOLVED', 'conflict', `the incident is resolved: ${command} is no longer possible`),
  conflict: (code: string, message: string) => new IncidentCommandRejected(code, 'conflict', message),
  invalid: (code: string, message: string) => new IncidentCommandRejected(code, 'invalid', message),
};
