import type { StoredEvent } from '@incident/event-store';
import type { IncidentEvent } from '@incident/incident-domain';
import { asIncidentEvent, decisionEventId, metadataFor, toNewEvents } from './decision-events';

const CAUSE = { eventId: '5b7d3a8e-2f0c-4c61-9d7a-0c9b1e2f3a4b', metadata: { correlationId: 'req-7', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', actor: 'classifier' } };

describe('decision events', () => {
  it('derives each id from the cause, the stream and the position, so a redelivery appends the same ids', () => {
    const first = toNewEvents('incident-1', [timer('2026-03-01T10:00:00.000Z')], CAUSE);
    const again = toNewEvents('incident-1', [timer('2026-03-01T10:00:00.000Z')], CAUSE);
    expect(first[0].id).toBe(again[0].id);
    expect(first[0].id).toBe(decisionEventId(CAUSE.eventId, 'incident-1', 0));
  });

  it('gives distinct ids to the events of one decision and to the same position in another stream', () => {
    const ids = [decisionEventId(CAUSE.eventId, 'incident-1', 0), decisionEventId(CAUSE.eventId, 'incident-1', 1), decisionEventId(CAUSE.eventId, 'correlation-x', 0)];
    expect(new Set(ids).size).toBe(3);
  });

  it('records the cause, carries correlation id and trace context over, and names correlation as the actor', () => {
    expect(metadataFor(CAUSE)).toEqual({ causationId: CAUSE.eventId, correlationId: 'req-7', traceparent: CAUSE.metadata.traceparent, actor: 'correlation' });
  });

  it('starts the correlation id at the cause when it had none', () => {
    expect(metadataFor({ eventId: CAUSE.eventId, metadata: {} })).toEqual({ causationId: CAUSE.eventId, correlationId: CAUSE.eventId, actor: 'correlation' });
  });

  it('stamps each event with its own event time, never the wall clock', () => {
    const [event] = toNewEvents('incident-1', [timer('2026-03-01T10:00:00.000Z')], CAUSE);
    expect(event).toMatchObject({ type: 'ResolveTimerScheduled', schemaVersion: 1, occurredAt: new Date('2026-03-01T10:00:00.000Z') });
    const [observed] = toNewEvents('correlation-x', [{ type: 'FailureObserved', data: { signal: { signalId: 's', at: '2026-03-01T09:00:00.000Z', bucket: '2026-03-01T09:00:00.000Z', level: 'ERROR' }, policyVersion: 'p/v1' } }], CAUSE);
    expect(observed.occurredAt).toEqual(new Date('2026-03-01T09:00:00.000Z'));
  });

  it('folds responder events too (a person resolving an incident resolves it for correlation), and no unknown type', () => {
    expect(asIncidentEvent(stored('IncidentAcknowledged'))).toMatchObject({ type: 'IncidentAcknowledged' });
    expect(asIncidentEvent(stored('PostmortemDrafted'))).toBeUndefined();
    expect(asIncidentEvent(stored('ResolveTimerScheduled'))).toMatchObject({ type: 'ResolveTimerScheduled' });
  });
});

function timer(at: string): IncidentEvent {
  return { type: 'ResolveTimerScheduled', data: { at, dueAt: at, policyVersion: 'correlation-policy/v1' } };
}

function stored(type: string): StoredEvent {
  const at = new Date('2026-03-01T10:00:00.000Z');
  return { id: CAUSE.eventId, type, schemaVersion: 1, occurredAt: at, payload: { at: at.toISOString() }, metadata: {}, streamId: 'incident-1', streamVersion: 1, globalPosition: '1', transactionId: '1', recordedAt: at, hash: '0'.repeat(64) };
}
