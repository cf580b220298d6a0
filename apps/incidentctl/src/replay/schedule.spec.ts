import type { RecordedEvent, RecordedLog } from './recorded';
import { schedule } from './schedule';

let position = 0n;
function recorded(type: string, payload: Record<string, unknown>, metadata: Record<string, unknown> = {}, streamId = 'x'): RecordedEvent {
  position += 1n;
  return { id: `e${position}`, streamId, streamVersion: 1, type, schemaVersion: type === 'SignalReceived' ? 2 : 1, payload, metadata, occurredAt: '2025-03-04T09:00:00.000Z', recordedAt: '2025-03-04T09:00:00.000Z', position };
}

describe('schedule: the inputs in the order correlation met them', () => {
  it('places a signal where correlation decided it, after a traffic sample recorded later but handled first', () => {
    const signal = recorded('SignalReceived', { signalId: 's1', channel: 'http-json', signal: { source: 'a', message: 'm' } });
    const sample = recorded('TrafficSampled', { source: 'a', windowStart: '2025-03-04T08:59:00.000Z', windowEnd: '2025-03-04T09:00:00.000Z', requests: 10, errors: 9 });
    const classified = recorded('SignalClassified', { classification: { ruleSetVersion: 'classifier-rules/v1' } }, { causationId: signal.id });
    const decided = recorded('IncidentOpened', { basis: { policyVersion: 'correlation-policy/v1' } }, { causationId: classified.id, actor: 'correlation' }, 'incident-1');
    const log: RecordedLog = { inputs: [signal, sample], classifications: [classified], decisions: [decided] };
    const plan = schedule(log);
    expect(plan.steps.map((s) => s.kind)).toEqual(['traffic-recorded', 'traffic-measured', 'signal']);
    expect(plan.steps[2]).toMatchObject({ ruleSetVersion: 'classifier-rules/v1', policyVersion: 'correlation-policy/v1' });
    expect(plan.recorded).toEqual({ ruleSets: ['classifier-rules/v1'], policies: ['correlation-policy/v1'] });
  });

  it('classifies every signal under --rules, and counts the signals the classifier had not reached', () => {
    const signal = recorded('SignalReceived', { signalId: 's2', channel: 'http-json', signal: { source: 'a', message: 'm' } });
    const plan = schedule({ inputs: [signal], classifications: [], decisions: [] }, { ruleSet: 'classifier-rules/v2' });
    expect(plan.steps).toEqual([expect.objectContaining({ kind: 'signal', ruleSetVersion: 'classifier-rules/v2' })]);
    expect(plan.unclassified).toBe(1);
  });

  it('makes one timer tick per instant the poller fired, and replays responders\' events but not escalations', () => {
    const timer = recorded('ResolveTimerScheduled', { at: '2025-03-04T09:00:00.000Z', dueAt: '2025-03-04T09:30:00.000Z' }, { actor: 'correlation', causationId: 'c' }, 'incident-1');
    const again = recorded('ResolveTimerScheduled', { at: '2025-03-04T10:00:05.000Z', dueAt: '2025-03-04T10:10:00.000Z', policyVersion: 'correlation-policy/v1' }, { actor: 'correlation', causationId: timer.id }, 'incident-1');
    const resolved = recorded('IncidentResolved', { basis: { rule: 'resolve.quiet-period', policyVersion: 'correlation-policy/v1', inputs: { firedAt: '2025-03-04T10:00:05.000Z' } } }, { actor: 'correlation', causationId: 'other-timer' }, 'incident-2');
    const ack = recorded('IncidentAcknowledged', { at: '2025-03-04T09:05:00.000Z', actor: 'alice' }, { actor: 'alice' }, 'incident-1');
    const deadline = recorded('AcknowledgementDeadlineScheduled', {}, { actor: 'remediation' }, 'incident-1');
    const plan = schedule({ inputs: [], classifications: [], decisions: [timer, again, resolved, ack, deadline] });
    expect(plan.steps).toEqual([{ kind: 'timer-tick', firedAt: '2025-03-04T10:00:05.000Z', policyVersion: 'correlation-policy/v1' }, expect.objectContaining({ kind: 'responder', incidentId: '1' })]);
  });
});

describe('schedule: one fingerprint\'s signals in classification order', () => {
  it('keeps an alert\'s resolution before the next firing when a batch appended the firing\'s window event first', () => {
    const received = [1, 2].map((n) => recorded('SignalReceived', { signalId: `a${n}`, channel: 'alertmanager', signal: { source: 'a', message: 'm' } }));
    const classified = received.map((r) => recorded('SignalClassified', { classification: { fingerprint: 'a|-|api_failure', ruleSetVersion: 'classifier-rules/v1' } }, { causationId: r.id }));
    // One consumer batch: correlation streams first (the firing's IncidentLinked), then incident streams.
    const linked = recorded('IncidentLinked', {}, { causationId: classified[1].id, actor: 'correlation' }, 'correlation-a|-|api_failure');
    const resolved = recorded('IncidentResolved', { basis: { rule: 'resolve.alert-resolved' } }, { causationId: classified[0].id, actor: 'correlation' }, 'incident-old');
    const plan = schedule({ inputs: received, classifications: classified, decisions: [linked, resolved] });
    expect(plan.steps.map((s) => (s.kind === 'signal' ? s.received.payload.signalId : s.kind))).toEqual(['a1', 'a2']);
  });
});
