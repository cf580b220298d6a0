import { decideResponder, type IncidentEvent, type ResponderCommand } from '@incident/incident-domain';
import { fold, minutesAfter, opened, resolved, T0 } from '../fixtures/incident-events';
import { renderTimeline, type TimelineEntry, type TimelineEvent } from './timeline';

// Histories are decided by the domain's own decider, so the words are tested against what the
// responder API really records.
describe('what responders did, in the timeline', () => {
  it('gives each responder action its own line that names the responder once', () => {
    const entries = respond([
      { kind: 'AcknowledgeIncident' },
      { kind: 'AddNote', noteId: 'n-1', text: 'rolled back 1.4.2' },
      { kind: 'SetStatus', status: 'identified' },
      { kind: 'ChangeSeverity', severity: 'SEV-1', reason: 'all agents failing' },
      { kind: 'RecordRootCause', analysis: analysis() },
      { kind: 'AddActionItem', itemId: 'a-1', title: 'Add a token bucket', priority: 'P0', owner: 'platform-team', dueDate: '2025-03-08' },
      { kind: 'CompleteActionItem', itemId: 'a-1' },
      { kind: 'ResolveIncident', reason: 'rate limiter deployed' },
    ]);
    expect(entries.slice(1).map((e) => e.what)).toEqual([
      'acknowledged by alice',
      'note by alice: rolled back 1.4.2',
      'status investigating -> identified by alice',
      'severity SEV-3 -> SEV-1 by alice: all agents failing',
      'root cause recorded by alice: no request limit per agent; fix: token bucket at 50 requests/minute (5 whys)',
      'action item P0 added by alice: Add a token bucket (owner platform-team, due 2025-03-08)',
      'action item completed by alice: Add a token bucket',
      'resolved by alice: rate limiter deployed',
    ]);
    expect(entries.slice(1).every((e) => e.actor === 'alice' && !e.text.includes('(by alice)'))).toBe(true);
    expect(entries[1].text).toBe('2025-03-01 10:01:00 UTC  acknowledged by alice');
  });

  it('keeps the rule of a responder\'s severity change and resolution, as for any decision', () => {
    const [, severity, resolution] = respond([
      { kind: 'ChangeSeverity', severity: 'SEV-4', reason: 'internal tool only' },
      { kind: 'ResolveIncident', reason: 'fixed' },
    ]);
    expect(severity.text).toBe('2025-03-01 10:01:00 UTC  severity SEV-3 -> SEV-4 by alice: internal tool only [rule responder.severity-lowered, responder/v1; inputs: from=SEV-3, to=SEV-4]');
    expect(resolution.basis).toEqual({ rule: 'responder.resolve', policyVersion: 'responder/v1', inputs: { openActionItems: 0 } });
  });

  it('cuts a long note to one line of 120 characters, the event keeps it whole', () => {
    const text = `first line\n\n${'x'.repeat(300)}`;
    const [, note] = respond([{ kind: 'AddNote', noteId: 'n-1', text }]);
    expect(note.what).toMatch(/^note by alice: first line x+…$/);
    expect(note.what.length).toBe('note by alice: '.length + 120);
  });

  it('says that correlation resolved an incident the same way a person does', () => {
    const [, entry] = renderTimeline(stream([opened(), resolved(minutesAfter(T0, 40))]));
    expect(entry.text).toBe('2025-03-01 10:40:00 UTC  resolved by correlation: no signal for 30 minutes [rule resolve.quiet-period, correlation-policy/v1; inputs: lastSeenAt=2025-03-01T10:40:00.000Z]');
  });

  it('names an action item by its id when the line that added it is not in the history', () => {
    const completed: TimelineEvent = { type: 'ActionItemCompleted', version: 2, occurredAt: T0, recordedAt: T0, payload: { at: T0, actor: 'bob', itemId: 'a-9' }, metadata: {} };
    expect(renderTimeline([...stream([opened()]), completed])[1].what).toBe('action item completed by bob: a-9');
  });
});

type Input = ResponderCommand extends infer C ? (C extends ResponderCommand ? Omit<C, 'at' | 'actor'> : never) : never;

/** The timeline of an opened incident after alice's commands, one a minute. */
function respond(inputs: Input[]): TimelineEntry[] {
  const events: IncidentEvent[] = [opened()];
  inputs.forEach((input, i) => {
    const command = { ...input, at: minutesAfter(T0, i + 1), actor: 'alice' } as ResponderCommand;
    events.push(...decideResponder(command, fold(events)));
  });
  return renderTimeline(stream(events));
}

function stream(events: IncidentEvent[]): TimelineEvent[] {
  return events.map((e, i) => ({ type: e.type, version: i + 1, occurredAt: e.data.at, recordedAt: e.data.at, payload: { ...e.data }, metadata: {} }));
}

function analysis() {
  return {
    fiveWhys: ['429s', 'too many calls', 'retries without backoff', 'no limiter', 'never needed before'],
    fishbone: { people: [], process: ['no load test'], technology: ['no token bucket'], environment: ['traffic spike'] },
    rootCause: 'no request limit per agent',
    fix: 'token bucket at 50 requests/minute',
    contributingFactors: [],
    wentWell: [],
    wentPoorly: [],
    lessonsLearned: [],
  };
}
