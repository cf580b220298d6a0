import { legacyUserRef, SIGNAL_CLASSIFIED, SIGNAL_CLASSIFIED_VERSION, SignalClassifiedV2Schema } from '@incident/contracts';
import { typedEnvelope } from './typed-envelope';

const schema = typedEnvelope(SIGNAL_CLASSIFIED, SignalClassifiedV2Schema, SIGNAL_CLASSIFIED_VERSION);

describe('typedEnvelope: a handler reads the version it knows, older ones through the upcasts', () => {
  it('reads SignalClassified v1 as v2: the plaintext userId as its legacy pseudonym', () => {
    const parsed = schema.parse(envelope(1, { userId: 'user-7' }));
    expect(parsed).toMatchObject({ kind: 'handled', payload: { userRef: legacyUserRef('user-7') } });
    expect(parsed.kind === 'handled' && 'userId' in parsed.payload).toBe(false);
  });

  it('reads v2 as it is, and refuses a version newer than it knows so the message is dead-lettered', () => {
    const userRef = `usr_${'a'.repeat(32)}`;
    expect(schema.parse(envelope(2, { userRef }))).toMatchObject({ kind: 'handled', payload: { userRef } });
    expect(schema.safeParse(envelope(3, {})).error?.issues[0]).toMatchObject({ path: ['schemaVersion'] });
  });
});

function envelope(schemaVersion: number, fields: Record<string, unknown>) {
  return {
    id: '0b0f6e34-6a4c-4d47-9d1e-2f6f3c1b8a10', streamId: 'classification-x', streamVersion: 1, globalPosition: '1', type: SIGNAL_CLASSIFIED, schemaVersion,
    occurredAt: '2026-03-01T10:00:00.000Z', recordedAt: '2026-03-01T10:00:01.000Z', metadata: {},
    payload: {
      signalId: 's-1', source: 'checkout', at: '2026-03-01T10:00:00.000Z', level: 'ERROR', message: '429', ...fields,
      classification: { type: 'rate_limit', fingerprint: 'checkout|-|rate_limit', ruleId: 'rate-limit.http-429', ruleSetVersion: 'classifier-rules/v1', evidence: {} },
    },
  };
}
