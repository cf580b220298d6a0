import { CURRENT_RULE_SET, type RuleSet } from '@incident/classification';
import { ALERT_LABEL_PREFIX, type EventEnvelope, legacyUserRef, type Signal, SignalClassifiedV2Schema } from '@incident/contracts';
import { signalClassifiedId, toSignalClassified } from './signal-classified';
import { SignalsMessageSchema } from './signals-message';

describe('SignalReceived -> SignalClassified', () => {
  it('classifies a 429 as rate_limit on its fingerprint stream, naming the rule, the rule-set version and the evidence', () => {
    const { streamId, event } = toSignalClassified(received({ errorCode: 429 }), CURRENT_RULE_SET);
    expect(streamId).toBe('classification-checkout|agent:planner|rate_limit');
    expect(event).toMatchObject({ type: 'SignalClassified', schemaVersion: 2 });
    expect(SignalClassifiedV2Schema.parse(event.payload).classification).toEqual({
      type: 'rate_limit',
      fingerprint: 'checkout|agent:planner|rate_limit',
      ruleId: 'rate-limit.http-429',
      ruleSetVersion: 'classifier-rules/v1',
      evidence: { errorCode: '429', messagePattern: 'rate.?limit' },
    });
  });

  it('gives a redelivered SignalReceived the same event id, so the log stores the decision once', () => {
    const a = toSignalClassified(received(), CURRENT_RULE_SET).event.id;
    const b = toSignalClassified(received(), CURRENT_RULE_SET).event.id;
    expect(a).toBe(b);
    expect(a).toBe(signalClassifiedId(RECEIVED_ID, 'classifier-rules/v1'));
  });

  it('gives the decision under another rule set another id', () => {
    const v2: RuleSet = { ...CURRENT_RULE_SET, version: 'classifier-rules/v2' };
    expect(toSignalClassified(received(), v2).event.id).not.toBe(toSignalClassified(received(), CURRENT_RULE_SET).event.id);
  });

  it("takes the signal's timestamp as event time, normalised to UTC", () => {
    const { event, payload } = toSignalClassified(received({ timestamp: '2026-03-01T12:00:00+02:00' }), CURRENT_RULE_SET);
    expect(payload.at).toBe('2026-03-01T10:00:00.000Z');
    expect(event.occurredAt.toISOString()).toBe('2026-03-01T10:00:00.000Z');
  });

  it('falls back to the time the signal was received when it carries none', () => {
    expect(toSignalClassified(received({ timestamp: undefined }), CURRENT_RULE_SET).payload.at).toBe('2026-03-01T09:59:59.000Z');
  });

  it('records the SignalReceived as causation and carries the correlation id and trace context over', () => {
    const { event } = toSignalClassified(
      received({}, { correlationId: 'req-7', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', actor: 'ingest' }),
      CURRENT_RULE_SET,
    );
    expect(event.metadata).toEqual({
      causationId: RECEIVED_ID,
      correlationId: 'req-7',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      actor: 'classifier',
    });
  });

  it('starts the correlation id at the SignalReceived when the signal came without one', () => {
    expect(toSignalClassified(received(), CURRENT_RULE_SET).event.metadata).toMatchObject({ correlationId: RECEIVED_ID });
  });

  it('treats a signal without a level as an ERROR and keeps numeric error codes as text', () => {
    const { payload } = toSignalClassified(received({ level: undefined, errorCode: 503 }), CURRENT_RULE_SET);
    expect(payload).toMatchObject({ level: 'ERROR', errorCode: '503' });
  });

  it("reads an Alertmanager alert's fingerprint, status and severity from the attributes ingest keeps", () => {
    const attributes = { 'alert.status': 'firing', 'alert.fingerprint': 'f00d', [`${ALERT_LABEL_PREFIX}severity`]: 'critical' };
    expect(toSignalClassified(received({ attributes }), CURRENT_RULE_SET).payload.alert).toEqual({
      fingerprint: 'f00d',
      status: 'firing',
      severity: 'critical',
    });
  });

  it('classifies what no rule knows as unclassified: nothing is dropped', () => {
    const { payload } = toSignalClassified(received({ message: 'something odd', errorCode: undefined }), CURRENT_RULE_SET);
    expect(payload.classification).toMatchObject({ type: 'unclassified', ruleId: 'fallback.unclassified' });
  });
});

describe('messages on the signals topic', () => {
  it('passes over TrafficSampled, which shares the topic', () => {
    const parsed = SignalsMessageSchema.parse({ ...envelope(), type: 'TrafficSampled', payload: { source: 'checkout' } });
    expect(parsed.kind).toBe('other');
  });

  it('reads a SignalReceived v1 through the upcast: the plaintext userId becomes its legacy pseudonym', () => {
    const signal = { source: 'checkout', message: 'Rate limit exceeded', userId: 'user-456' };
    const parsed = SignalsMessageSchema.parse({ ...envelope(), schemaVersion: 1, payload: { signalId: 's-1', channel: 'http-json', signal } });
    expect(parsed).toMatchObject({ kind: 'signal-received', payload: { userRef: legacyUserRef('user-456'), signal: { source: 'checkout' } } });
    expect(JSON.stringify(parsed.kind === 'signal-received' && toSignalClassified(parsed, CURRENT_RULE_SET).payload)).not.toContain('user-456');
  });

  it('carries a v2 signal\'s pseudonym into the decision, and refuses a version it does not know', () => {
    const userRef = `usr_${'a'.repeat(32)}`;
    const parsed = SignalsMessageSchema.parse({ ...envelope(), schemaVersion: 2, payload: { signalId: 's-1', channel: 'http-json', signal: { source: 'checkout', message: '429' }, userRef } });
    if (parsed.kind !== 'signal-received') throw new Error('not a signal');
    expect(toSignalClassified(parsed, CURRENT_RULE_SET).payload.userRef).toBe(userRef);
    expect(SignalsMessageSchema.safeParse({ ...envelope(), schemaVersion: 3, payload: {} }).success).toBe(false);
  });

  it('rejects a SignalReceived whose payload is malformed, naming the field, so it is dead-lettered at once', () => {
    const parsed = SignalsMessageSchema.safeParse({ ...envelope(), payload: { signalId: 's-1', channel: 'http-json', signal: { source: 'x' } } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['payload', 'signal', 'message'] });
  });
});

const RECEIVED_ID = '0b0f6e34-6a4c-4d47-9d1e-2f6f3c1b8a10';

function received(fields: Partial<Signal> = {}, metadata: Record<string, unknown> = {}) {
  const signal: Signal = {
    source: 'checkout',
    component: 'agent:planner',
    message: 'Rate limit exceeded',
    level: 'ERROR',
    errorCode: 429,
    timestamp: '2026-03-01T10:00:00.000Z',
    ...fields,
  };
  const payload = { signalId: 'sig-1', channel: 'http-json' as const, signal };
  return { envelope: { ...envelope(), payload, metadata }, payload };
}

function envelope(): EventEnvelope {
  return {
    id: RECEIVED_ID,
    streamId: 'signal-0123456789abcdef0123456789abcdef',
    streamVersion: 1,
    globalPosition: '42',
    type: 'SignalReceived',
    schemaVersion: 2,
    occurredAt: '2026-03-01T09:59:59.000Z',
    recordedAt: '2026-03-01T10:00:01.000Z',
    payload: {},
    metadata: {},
  };
}
