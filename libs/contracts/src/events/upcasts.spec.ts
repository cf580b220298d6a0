import { SignalClassifiedV2Schema, type SignalClassifiedV1 } from './signal-classified';
import { SignalReceivedV2Schema, type SignalReceivedV1 } from './signal-received';
import { upcastPayload } from './upcasts';
import { legacyUserRef } from './user-ref';

describe('reading v1 signal events as v2', () => {
  it('reads SignalReceived v1 as a valid v2 whose user is a pseudonym, never the plaintext', () => {
    const read = upcastPayload('SignalReceived', 1, receivedV1('user-456') as unknown as Record<string, unknown>);
    expect(read.schemaVersion).toBe(2);
    expect(SignalReceivedV2Schema.parse(read.payload)).toMatchObject({ userRef: legacyUserRef('user-456'), signal: { source: 'checkout' } });
    expect(JSON.stringify(read.payload)).not.toContain('user-456');
  });

  it('reads SignalClassified v1 as a valid v2 with the same pseudonym for the same user', () => {
    const read = upcastPayload('SignalClassified', 1, classifiedV1('user-456') as unknown as Record<string, unknown>);
    expect(SignalClassifiedV2Schema.parse(read.payload).userRef).toBe(legacyUserRef('user-456'));
    expect(legacyUserRef('user-456')).not.toBe(legacyUserRef('user-457'));
  });

  it('leaves a signal without a user without one, and a v2 payload or another type as it is', () => {
    expect(upcastPayload('SignalReceived', 1, receivedV1() as unknown as Record<string, unknown>).payload).not.toHaveProperty('userRef');
    const v2 = { signalId: 's', channel: 'http-json', signal: { source: 'a', message: 'm' }, userRef: legacyUserRef('x') };
    expect(upcastPayload('SignalReceived', 2, v2)).toEqual({ schemaVersion: 2, payload: v2 });
    expect(upcastPayload('IncidentOpened', 1, { a: 1 })).toEqual({ schemaVersion: 1, payload: { a: 1 } });
  });
});

function receivedV1(userId?: string): SignalReceivedV1 {
  return { signalId: 's-1', channel: 'http-json', signal: { source: 'checkout', message: 'Rate limit exceeded', errorCode: 429, ...(userId ? { userId } : {}) } };
}

function classifiedV1(userId?: string): SignalClassifiedV1 {
  return {
    signalId: 's-1', source: 'checkout', at: '2025-03-01T10:00:00.000Z', level: 'ERROR', message: 'Rate limit exceeded', errorCode: '429',
    ...(userId ? { userId } : {}),
    classification: { type: 'rate_limit', fingerprint: 'checkout|-|rate_limit', ruleId: 'rate-limit.http-429', ruleSetVersion: 'classifier-rules/v1', evidence: {} },
  };
}
