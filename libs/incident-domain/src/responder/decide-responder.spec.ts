import type { IncidentEvent } from '../events';
import { evolveIncident as evolve, foldIncident, type IncidentState } from '../incident-state';
import type { ResponderCommand } from './commands';
import { decideResponder } from './decide-responder';
import { IncidentCommandRejected } from './errors';

const AT = '2026-11-27T14:40:00.000Z';

describe('responder commands', () => {
  it('records an acknowledgement with its actor, once', () => {
    const { state, events } = run(opened(), { kind: 'AcknowledgeIncident' });
    expect(events).toEqual([{ type: 'IncidentAcknowledged', data: { at: AT, actor: 'alice' } }]);
    expect(rejection(state, { kind: 'AcknowledgeIncident' })).toMatchObject({ code: 'ALREADY_ACKNOWLEDGED', kind: 'conflict' });
  });

  it('moves the status through investigating, identified and monitoring, refusing a no-op', () => {
    let { state } = run(opened(), { kind: 'SetStatus', status: 'identified' });
    ({ state } = run(state, { kind: 'SetStatus', status: 'monitoring' }));
    expect(state).toMatchObject({ responseStatus: 'monitoring' });
    expect(rejection(state, { kind: 'SetStatus', status: 'monitoring' })).toMatchObject({ code: 'STATUS_UNCHANGED' });
  });

  it('changes severity with a reason, naming the direction in the recorded rule', () => {
    const { events, state } = run(opened(), { kind: 'ChangeSeverity', severity: 'SEV-1', reason: 'all agents failing' });
    expect(events[0]).toMatchObject({ type: 'SeverityChanged', data: { from: 'SEV-3', to: 'SEV-1', actor: 'alice', basis: { rule: 'responder.severity-raised' } } });
    expect(state).toMatchObject({ severity: 'SEV-1' });
    expect(rejection(state, { kind: 'ChangeSeverity', severity: 'SEV-2', reason: ' ' })).toMatchObject({ code: 'EMPTY_FIELD', kind: 'invalid' });
  });

  it('resolves once; afterwards acknowledging or changing status is a conflict', () => {
    const { state } = run(opened(), { kind: 'ResolveIncident', reason: 'rate limiter deployed' });
    expect(state).toMatchObject({ status: 'resolved', resolution: 'rate limiter deployed' });
    expect(rejection(state, { kind: 'ResolveIncident', reason: 'again' })).toMatchObject({ code: 'ALREADY_RESOLVED' });
    expect(rejection(state, { kind: 'AcknowledgeIncident' })).toMatchObject({ code: 'INCIDENT_RESOLVED', kind: 'conflict' });
    expect(rejection(state, { kind: 'SetStatus', status: 'identified' })).toMatchObject({ code: 'INCIDENT_RESOLVED' });
  });

  it('treats setting the status to resolved as resolving', () => {
    expect(run(opened(), { kind: 'SetStatus', status: 'resolved' }).state.status).toBe('resolved');
  });

  it('records the 5 Whys, the fishbone, the root cause and the fix, also after resolution', () => {
    const resolved = run(opened(), { kind: 'ResolveIncident', reason: 'fixed' }).state;
    const { state } = run(resolved, { kind: 'RecordRootCause', analysis: analysis() });
    expect(state).toMatchObject({ rootCause: { rootCause: 'no request limit per agent', by: 'alice', fishbone: { technology: ['no token bucket'] } } });
    expect(rejection(state, { kind: 'RecordRootCause', analysis: { ...analysis(), fiveWhys: [] } })).toMatchObject({ code: 'INVALID_FIVE_WHYS' });
  });

  it('adds action items with priority, owner and due date, and completes each once', () => {
    const item = { itemId: 'a1', title: 'Add a token bucket', priority: 'P0' as const, owner: 'platform-team', dueDate: '2026-12-01' };
    let { state } = run(opened(), { kind: 'AddActionItem', ...item });
    expect(rejection(state, { kind: 'AddActionItem', ...item })).toMatchObject({ code: 'ACTION_ITEM_EXISTS' });
    expect(rejection(state, { kind: 'AddActionItem', ...item, itemId: 'a2', dueDate: 'soon' })).toMatchObject({ code: 'INVALID_DUE_DATE', kind: 'invalid' });
    ({ state } = run(state, { kind: 'CompleteActionItem', itemId: 'a1' }));
    expect(state).toMatchObject({ actionItems: { a1: { completedAt: AT } } });
    expect(rejection(state, { kind: 'CompleteActionItem', itemId: 'a1' })).toMatchObject({ code: 'ACTION_ITEM_COMPLETED' });
    expect(rejection(state, { kind: 'CompleteActionItem', itemId: 'zz' })).toMatchObject({ code: 'NOT_FOUND', kind: 'not_found' });
  });

  it('adds notes with their author, also after resolution, refusing an empty one', () => {
    const { events } = run(opened(), { kind: 'AddNote', noteId: 'n1', text: 'throttling at the gateway' });
    expect(events).toEqual([{ type: 'NoteAdded', data: { at: AT, actor: 'alice', noteId: 'n1', text: 'throttling at the gateway' } }]);
    const resolved = run(opened(), { kind: 'ResolveIncident', reason: 'fixed' }).state;
    expect(run(resolved, { kind: 'AddNote', noteId: 'n2', text: 'for the postmortem' }).events).toHaveLength(1);
    expect(rejection(opened(), { kind: 'AddNote', noteId: 'n3', text: '  ' })).toMatchObject({ code: 'EMPTY_FIELD', kind: 'invalid' });
  });

  it('refuses a severity change to the current severity, and any severity change after resolution', () => {
    expect(rejection(opened(), { kind: 'ChangeSeverity', severity: 'SEV-3', reason: 'same' })).toMatchObject({ code: 'SEVERITY_UNCHANGED', kind: 'conflict' });
    const lowered = run(opened(), { kind: 'ChangeSeverity', severity: 'SEV-4', reason: 'one internal user' }).events[0];
    expect(lowered).toMatchObject({ data: { basis: { rule: 'responder.severity-lowered', inputs: { from: 'SEV-3', to: 'SEV-4' } } } });
    const resolved = run(opened(), { kind: 'ResolveIncident', reason: 'fixed' }).state;
    expect(rejection(resolved, { kind: 'ChangeSeverity', severity: 'SEV-1', reason: 'late' })).toMatchObject({ code: 'INCIDENT_RESOLVED' });
  });

  it('resolves only with a reason, recording how many action items were still open', () => {
    expect(rejection(opened(), { kind: 'ResolveIncident', reason: '' })).toMatchObject({ code: 'EMPTY_FIELD' });
    const item = { itemId: 'a1', title: 'Add a token bucket', priority: 'P1' as const, owner: 'platform-team', dueDate: '2026-12-01' };
    const withItem = run(opened(), { kind: 'AddActionItem', ...item }).state;
    expect(run(withItem, { kind: 'ResolveIncident', reason: 'fixed' }).events[0]).toMatchObject({ data: { basis: { rule: 'responder.resolve', inputs: { openActionItems: 1 } } } });
  });

  it('refuses a root-cause analysis without a root cause or a fix', () => {
    expect(rejection(opened(), { kind: 'RecordRootCause', analysis: { ...analysis(), rootCause: ' ' } })).toMatchObject({ code: 'EMPTY_FIELD' });
    expect(rejection(opened(), { kind: 'RecordRootCause', analysis: { ...analysis(), fix: '' } })).toMatchObject({ code: 'EMPTY_FIELD' });
    expect(rejection(opened(), { kind: 'RecordRootCause', analysis: { ...analysis(), fiveWhys: ['why', ''] } })).toMatchObject({ code: 'INVALID_FIVE_WHYS' });
  });

  it('refuses any command on an incident that does not exist', () => {
    expect(rejection(foldIncident([]), { kind: 'AddNote', noteId: 'n1', text: 'hello' })).toMatchObject({ kind: 'not_found' });
  });
});

type Input = ResponderCommand extends infer C ? (C extends ResponderCommand ? Omit<C, 'at' | 'actor'> : never) : never;

function run(state: IncidentState, input: Input): { events: IncidentEvent[]; state: IncidentState } {
  const events = decideResponder({ ...input, at: AT, actor: 'alice' } as ResponderCommand, state);
  return { events, state: foldWith(state, events) };
}

function foldWith(state: IncidentState, events: IncidentEvent[]): IncidentState {
  return events.reduce((s, e) => evolve(s, e), state);
}

function rejection(state: IncidentState, input: Input): IncidentCommandRejected {
  try {
    decideResponder({ ...input, at: AT, actor: 'alice' } as ResponderCommand, state);
  } catch (error) {
    if (error instanceof IncidentCommandRejected) return error;
    throw error;
  }
  throw new Error(`expected ${input.kind} to be rejected`);
}

function opened(): IncidentState {
  return foldIncident([
    {
      type: 'IncidentOpened',
      data: {
        incidentId: 'i-1', at: '2026-11-27T14:35:00.000Z', fingerprint: 'api|agent|rate_limit', incidentType: 'rate_limit', source: 'api',
        title: 'rate_limit in api', severity: 'SEV-3', basis: { rule: 'open.failure-count', policyVersion: 'correlation-policy/v1', inputs: {} },
        classification: { type: 'rate_limit', fingerprint: 'api|agent|rate_limit', source: 'api', ruleId: 'rate-limit.http-429', ruleSetVersion: 'classifier-rules/v1' },
      },
    },
  ]);
}

function analysis() {
  return {
    fiveWhys: ['429s', 'too many calls', 'retries without backoff', 'no limiter', 'never needed before'],
    fishbone: { people: [], process: ['no load test'], technology: ['no token bucket'], environment: ['traffic spike'] },
    rootCause: 'no request limit per agent',
    fix: 'token bucket at 50 requests/minute',
    contributingFactors: ['retry storm'],
    wentWell: ['alert fired within a minute'],
    wentPoorly: ['no runbook'],
    lessonsLearned: ['limit before you scale'],
  };
}
