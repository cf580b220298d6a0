import { reject } from '@incident/incident-domain';
import { errorAnswer } from './command-errors';
import { StaleVersion } from './handle-responder-command';

describe('a refused responder command, as HTTP', () => {
  it('answers a state conflict with 409 and the domain\'s code', () => {
    const already = reject.conflict('ALREADY_ACKNOWLEDGED', 'already acknowledged by alice at 2026-11-27T14:40:00.000Z');
    expect(errorAnswer(already)).toEqual({ status: 409, body: { error: 'ALREADY_ACKNOWLEDGED', message: 'already acknowledged by alice at 2026-11-27T14:40:00.000Z' } });
    expect(errorAnswer(reject.resolved('acknowledging'))).toMatchObject({ status: 409, body: { error: 'INCIDENT_RESOLVED' } });
  });

  it('answers a broken input rule with 422', () => {
    expect(errorAnswer(reject.invalid('INVALID_DUE_DATE', 'dueDate "soon" is not a date'))).toEqual({ status: 422, body: { error: 'INVALID_DUE_DATE', message: 'dueDate "soon" is not a date' } });
  });

  it('answers a missing incident or action item with 404', () => {
    expect(errorAnswer(reject.notFound('action item a-1'))).toEqual({ status: 404, body: { error: 'NOT_FOUND', message: 'action item a-1 does not exist' } });
  });

  it('answers a stale expected version with 409 stale_version and both versions, so the client knows to read again', () => {
    expect(errorAnswer(new StaleVersion(4, 6))).toEqual({
      status: 409,
      body: { error: 'stale_version', message: 'the incident is at version 6, not 4: read it again and retry', expectedVersion: 4, actualVersion: 6 },
    });
  });

});
