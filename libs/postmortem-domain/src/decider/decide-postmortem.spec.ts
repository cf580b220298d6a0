import { isOverdue } from '../postmortem';
import { agentTimeoutIncident, at, IncidentHistory, INCIDENT_ID } from '../testing/histories';
import { decidePostmortem, type PostmortemCommand, sameContent } from './decide-postmortem';
import type { PostmortemEvent } from './events';
import { evolvePostmortem, initialPostmortem, type PostmortemState } from './state';

const DUE = '2025-12-25T15:15:00.000Z';

describe('the postmortem decider', () => {
  it('drafts revision 1 when the incident resolves, due 24 hours after resolution, naming rule and inputs', () => {
    const { events } = run(initialPostmortem, drafting(agentTimeoutIncident()));
    expect(events).toEqual([
      {
        type: 'PostmortemDrafted',
        data: expect.objectContaining({
          at: at(40),
          incidentId: INCIDENT_ID,
          revision: 1,
          dueAt: DUE,
          blameWarnings: [],
          actor: 'postmortem',
          basis: { rule: 'postmortem.draft-on-resolution', policyVersion: 'postmortem/v1', inputs: { trigger: 'IncidentResolved', incidentVersion: 1210, template: 'playbook-postmortem/v1' } },
        }),
      },
    ]);
  });

  it('drafts nothing for an incident that is still open', () => {
    expect(decidePostmortem(drafting(new IncidentHistory().opened().signals(12)), initialPostmortem)).toEqual([]);
  });

  it('re-drafts as revision 2 when the analysis changes after resolution, and not again for the same history (a replay)', () => {
    const history = agentTimeoutIncident();
    let { state } = run(initialPostmortem, drafting(history));
    history.respond(at(50), 'oncall', { kind: 'AddActionItem', itemId: 'a-1', title: 'Add file size validation', priority: 'P0', owner: '@dev', dueDate: '2025-12-25' });
    const redraft = run(state, drafting(history));
    expect(redraft.events[0]).toMatchObject({ data: { revision: 2, basis: { rule: 'postmortem.redraft-on-change', inputs: { trigger: 'ActionItemAdded' } } } });
    state = redraft.state;
    expect(decidePostmortem(drafting(history), state)).toEqual([]);
  });

  it('compares a draft read back from the log (keys reordered by jsonb) by content', () => {
    const { state } = run(initialPostmortem, drafting(agentTimeoutIncident()));
    if (state.status === 'none') throw new Error('expected a draft');
    const shuffled = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(state.postmortem).reverse())));
    expect(sameContent(shuffled, state.postmortem)).toBe(true);
    expect(sameContent({ ...shuffled, incidentVersion: 9999 }, state.postmortem)).toBe(true);
    expect(sameContent({ ...shuffled, summary: 'other' }, state.postmortem)).toBe(false);
  });

  it('never drafts again from an event older than the history of the latest draft (a redelivery)', () => {
    const history = agentTimeoutIncident();
    const resolvedOnly = drafting(history);
    history.respond(at(70), 'bob', { kind: 'AddNote', noteId: 'n-9', text: 'customer comms sent' });
    const { state } = run(initialPostmortem, drafting(history));
    expect(decidePostmortem(resolvedOnly, state)).toEqual([]);
  });

  it('still re-drafts when the only change is a later event the timeline shows', () => {
    const history = agentTimeoutIncident();
    const { state } = run(initialPostmortem, drafting(history));
    history.respond(at(70), 'bob', { kind: 'AddNote', noteId: 'n-9', text: 'customer comms sent' });
    expect(decidePostmortem(drafting(history), state)[0]).toMatchObject({ data: { revision: 2 } });
  });

  it('flags an overdue draft once, at its due time, whenever the timer fires after it', () => {
    const { state } = run(initialPostmortem, drafting(agentTimeoutIncident()));
    expect(decidePostmortem({ kind: 'FlagOverdue', firedAt: '2025-12-25T15:14:59.000Z' }, state)).toEqual([]);
    const overdue = run(state, { kind: 'FlagOverdue', firedAt: '2025-12-26T09:00:00.000Z' });
    expect(overdue.events).toEqual([
      {
        type: 'PostmortemOverdue',
        data: {
          at: DUE, incidentId: INCIDENT_ID, revision: 1, dueAt: DUE, actor: 'postmortem',
          basis: { rule: 'postmortem.overdue', policyVersion: 'postmortem/v1', inputs: { dueAt: DUE, firedAt: '2025-12-26T09:00:00.000Z', revision: 1 } },
        },
      },
    ]);
    expect(overdue.state).toMatchObject({ status: 'overdue', overdueAt: DUE });
    expect(decidePostmortem({ kind: 'FlagOverdue', firedAt: '2025-12-27T00:00:00.000Z' }, overdue.state)).toEqual([]);
  });

  it('keeps the overdue flag through a later re-draft', () => {
    const history = agentTimeoutIncident();
    let { state } = run(initialPostmortem, drafting(history));
    ({ state } = run(state, { kind: 'FlagOverdue', firedAt: '2025-12-26T00:00:00.000Z' }));
    history.respond('2025-12-26T10:00:00.000Z', 'oncall', { kind: 'AddNote', noteId: 'n-late', text: 'postmortem review held' });
    ({ state } = run(state, drafting(history)));
    expect(state).toMatchObject({ status: 'overdue', revision: 2, overdueAt: DUE });
  });

  it('finalizes the current revision once, for the responder who read it; then no re-draft and no overdue flag', () => {
    const history = agentTimeoutIncident();
    const { state } = run(initialPostmortem, drafting(history));
    const final = run(state, { kind: 'FinalizePostmortem', at: '2025-12-25T12:00:00.000Z', actor: 'alice', expectedRevision: 1 });
    expect(final.events).toEqual([{ type: 'PostmortemFinalized', data: { at: '2025-12-25T12:00:00.000Z', incidentId: INCIDENT_ID, revision: 1, actor: 'alice' } }]);
    expect(final.state).toMatchObject({ status: 'final', revision: 1, finalized: { at: '2025-12-25T12:00:00.000Z', by: 'alice' } });
    expect(decidePostmortem({ kind: 'FlagOverdue', firedAt: '2025-12-26T09:00:00.000Z' }, final.state)).toEqual([]);
    history.respond('2025-12-25T13:00:00.000Z', 'oncall', { kind: 'AddNote', noteId: 'n-after', text: 'shared with the team' });
    expect(decidePostmortem(drafting(history), final.state)).toEqual([]);
  });

  it('refuses to finalize nothing, twice, or a revision the responder did not read', () => {
    const refused = (state: PostmortemState, expectedRevision?: number) => {
      try {
        decidePostmortem({ kind: 'FinalizePostmortem', at: '2025-12-25T12:00:00.000Z', actor: 'alice', expectedRevision }, state);
      } catch (error) {
        return error;
      }
      throw new Error('expected the command to be refused');
    };
    expect(refused(initialPostmortem)).toMatchObject({ kind: 'not_found' });
    const { state } = run(initialPostmortem, drafting(agentTimeoutIncident()));
    expect(refused(state, 2)).toMatchObject({ code: 'STALE_REVISION', kind: 'conflict' });
    const final = run(state, { kind: 'FinalizePostmortem', at: '2025-12-25T12:00:00.000Z', actor: 'alice' }).state;
    expect(refused(final)).toMatchObject({ code: 'ALREADY_FINAL', kind: 'conflict' });
  });

  it('computes the overdue flag from `now`, never for a final postmortem', () => {
    expect(isOverdue(DUE, '2025-12-25T15:14:00.000Z')).toBe(false);
    expect(isOverdue(DUE, '2025-12-25T15:16:00.000Z')).toBe(true);
    expect(isOverdue(DUE, '2025-12-25T15:16:00.000Z', true)).toBe(false);
  });
});

function drafting(history: IncidentHistory): PostmortemCommand {
  const last = history.events[history.events.length - 1];
  return { kind: 'DraftPostmortem', history: [...history.events], trigger: { type: last.type, version: last.version, at: last.at } };
}

function run(state: PostmortemState, command: PostmortemCommand): { events: PostmortemEvent[]; state: PostmortemState } {
  const events = decidePostmortem(command, state);
  return { events, state: events.reduce(evolvePostmortem, state) };
}
