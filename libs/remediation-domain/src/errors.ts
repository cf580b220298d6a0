/**
 * A command the remediation's state does not allow. `conflict`: a state problem (HTTP 409: already
 * approved, the run is over); `invalid`: the input itself (422); `not_found`: no such target (404).
 */
export type RejectionKind = 'conflict' | 'invalid' | 'not_found';

export class RemediationCommandRejected extends Error {
  constructor(
    readonly code: string,
    readonly kind: RejectionKind,
    message: string,
  ) {
    super(message);
    this.name = 'RemediationCommandRejected';
  }
}

export const reject = {
  notFound: (what: string) => new RemediationCommandRejected('NOT_FOUND', 'not_found', `${what} does not exist`),
  conflict: (code: string, message: string) => new RemediationCommandRejected(code, 'conflict', message),
  invalid: (code: string, message: string) => new RemediationCommandRejected(code, 'invalid', message),
};
