import { latestEventContract, POSTMORTEM_PAYLOADS_V1 } from '@incident/contracts';
import type { z } from 'zod';
import { decidePostmortem, type PostmortemCommand } from './decider/decide-postmortem';
import { POSTMORTEM_EVENT_TYPES, type PostmortemEvent } from './decider/events';
import { evolvePostmortem, initialPostmortem } from './decider/state';
import { agentTimeoutIncident, at, type IncidentHistory, withPlaybookActionItems } from './testing/histories';

// The postmortem stream's payloads, as the TypeScript types the decider is written against and as
// the zod schemas of libs/contracts (what consumers validate, what docs/asyncapi.yaml shows).

/** true when A and B accept the same values (each assignable to the other); otherwise false. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agrees<E extends { type: string; data: unknown }, M extends Record<string, z.ZodType>> = Same<keyof M, E['type']> extends true
  ? { [K in E['type']]: Same<Extract<E, { type: K }>['data'], z.infer<M[K]>> }
  : { keys: false };

// Fails to compile when a type and its schema disagree, or one lists a type the other has not.
const postmortemTypesAgree: Agrees<PostmortemEvent, typeof POSTMORTEM_PAYLOADS_V1> = { PostmortemDrafted: true, PostmortemOverdue: true, PostmortemFinalized: true };

function drafting(history: IncidentHistory): PostmortemCommand {
  const last = history.events[history.events.length - 1];
  return { kind: 'DraftPostmortem', history: [...history.events], trigger: { type: last.type, version: last.version, at: last.at } };
}

describe('the postmortem stream\'s events and their contracts (libs/contracts)', () => {
  it('has a schema for every event type, and each agrees with the domain\'s type', () => {
    expect(Object.values(postmortemTypesAgree).every((v) => v === true)).toBe(true);
    expect(Object.keys(POSTMORTEM_PAYLOADS_V1).sort()).toEqual([...POSTMORTEM_EVENT_TYPES].sort());
  });

  it('writes only events their contract accepts: a draft with root cause, action items and blame warnings, a re-draft, the overdue flag, finalizing', () => {
    const history = withPlaybookActionItems(agentTimeoutIncident());
    let state = initialPostmortem;
    const events: PostmortemEvent[] = [];
    const decide = (command: PostmortemCommand) => {
      const out = decidePostmortem(command, state);
      state = out.reduce(evolvePostmortem, state);
      events.push(...out);
    };
    decide(drafting(history));
    history.respond(at(70), 'oncall', { kind: 'AddNote', noteId: 'n-9', text: 'Root cause: Developer X wrote bad code' });
    decide(drafting(history));
    decide({ kind: 'FlagOverdue', firedAt: '2026-12-31T00:00:00.000Z' });
    decide({ kind: 'FinalizePostmortem', at: '2026-12-31T01:00:00.000Z', actor: 'alice', expectedRevision: 2 });

    expect(events.map((e) => e.type)).toEqual(['PostmortemDrafted', 'PostmortemDrafted', 'PostmortemOverdue', 'PostmortemFinalized']);
    const drafted = events[1];
    expect(drafted.type === 'PostmortemDrafted' && drafted.data.blameWarnings.length).toBeGreaterThan(0);
    const rejected = events.flatMap((e) => {
      const parsed = latestEventContract(e.type)?.schema.safeParse(e.data);
      return parsed?.success ? [] : [{ type: e.type, issues: parsed?.error.issues ?? 'no contract' }];
    });
    expect(rejected).toEqual([]);
  });
});
