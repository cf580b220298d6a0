import { Topics } from '@incident/contracts';
import type { StoredEvent } from '@incident/event-store';
import { ingestRouter } from './ingest-routes';

const route = ingestRouter(Topics);

describe('relay routes', () => {
  it.each([
    ['SignalReceived', Topics.signals],
    ['TrafficSampled', Topics.traffic],
    ['SignalClassified', Topics.classifications],
    ['IncidentOpened', Topics.incidents],
    ['ErrorRateMeasured', Topics.incidents],
    ['SeverityChanged', Topics.incidents],
    ['ResolveTimerScheduled', Topics.incidents],
    ['IncidentResolved', Topics.incidents],
    ['AcknowledgementDeadlineScheduled', Topics.incidents],
    ['IncidentEscalated', Topics.incidents],
    ['RemediationProposed', Topics.remediation],
    ['StepFailed', Topics.remediation],
    ['CircuitBreakerReset', Topics.remediation],
    ['PostmortemDrafted', Topics.postmortems],
    ['PostmortemOverdue', Topics.postmortems],
  ])('publishes %s to %s', (type, topic) => {
    expect(route(event(type))).toBe(topic);
  });

  it.each(['FailureObserved', 'IncidentLinked', 'SignalAttached'])(
    'keeps %s in the log (correlation-internal or one per signal)',
    (type) => {
      expect(route(event(type))).toBeNull();
    },
  );

  it('stops on an event type nobody routed instead of silently skipping it', () => {
    expect(() => route(event('IncidentTeleported'))).toThrow(
      /no topic routed for event type IncidentTeleported/,
    );
  });
});

function event(type: string): StoredEvent {
  return {
    id: '00000000-0000-5000-8000-000000000000',
    type,
    schemaVersion: 1,
    occurredAt: new Date(0),
    payload: {},
    metadata: {},
    streamId: 's',
    streamVersion: 1,
    globalPosition: '1',
    transactionId: '1',
    recordedAt: new Date(0),
    hash: '',
  };
}
