import {
  CORRELATION_PAYLOADS_V1,
  INCIDENT_PAYLOADS_V1,
  latestEventContract,
} from '@incident/contracts';
import type { z } from 'zod';
import type { CorrelationEvent, IncidentEvent } from './events';
import { INCIDENT_EVENT_TYPES } from './events';
import { evolveIncident } from './incident-state';
import { decideResponder, type ResponderCommand } from './responder';
import { CorrelationHarness, minutes, traffic } from './testing';

// The incident stream's payloads are described twice: by the TypeScript types the deciders are
// written against (events.ts) and by the zod schemas of libs/contracts that consumers validate
// with and the AsyncAPI document is generated from. These specs keep the two one description.

/** true when A and B accept the same values (each assignable to the other); otherwise false. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agrees<E extends { type: string; data: unknown }, M extends Record<string, z.ZodType>> = Same<keyof M, E['type']> extends true
  ? { [K in E['type']]: Same<Extract<E, { type: K }>['data'], z.infer<M[K]>> }
  : { keys: false };

// Fails to compile (and so the spec fails) when a type and its schema disagree on a field, or when
// the contracts list a type the domain does not have, or the other way round.
const incidentTypesAgree: Agrees<IncidentEvent, typeof INCIDENT_PAYLOADS_V1> = {
  IncidentOpened: true, SignalAttached: true, ErrorRateMeasured: true, SeverityChanged: true, ResolveTimerScheduled: true,
  IncidentResolved: true, IncidentAcknowledged: true, NoteAdded: true, ResponseStatusChanged: true, RootCauseRecorded: true,
  ActionItemAdded: true, ActionItemCompleted: true, AcknowledgementDeadlineScheduled: true, IncidentEscalated: true,
};
const correlationTypesAgree: Agrees<CorrelationEvent, typeof CORRELATION_PAYLOADS_V1> = { FailureObserved: true, IncidentLinked: true };

const T0 = '2026-01-15T14:32:15.000Z';
const INCIDENT = '3f0c8a52-6d1e-4b7a-9c2d-1e5f7a9b0c3d';

/** Every event a life of one incident produces through the real deciders: correlation, then responders. */
function aLifeOfOneIncident(): (IncidentEvent | CorrelationEvent)[] {
  const h = new CorrelationHarness();
  const events: (IncidentEvent | CorrelationEvent)[] = [];
  const record = (d: { correlationEvents: readonly CorrelationEvent[]; incidentEvents: readonly IncidentEvent[] }) => events.push(...d.correlationEvents, ...d.incidentEvents);
  for (let i = 0; i < 10; i++) {
    const observation = { signalId: `s-${i}`, at: minutes(T0, i / 10), level: 'ERROR' as const, message: 'Rate limit exceeded', errorCode: '429', component: 'agent:code-review', userId: `usr_${'a'.repeat(31)}${i}` };
    record(h.run({
      kind: 'CorrelateSignal', observation, incidentIdIfOpened: INCIDENT, traffic: i === 9 ? traffic(100, 12, minutes(T0, 1)) : undefined,
      classification: { type: 'rate_limit', fingerprint: 'api|agent|rate_limit', source: 'api-gateway', ruleId: 'rate-limit.http-429', ruleSetVersion: 'classifier-rules/v1' },
    }));
  }
  record(h.run({ kind: 'MeasureErrorRate', traffic: traffic(100, 60, minutes(T0, 2)) }));
  const respond = (c: ResponderCommand) => {
    const out = decideResponder(c, h.incident);
    for (const e of out) h.incident = evolveIncident(h.incident, e);
    events.push(...out);
  };
  const by = { actor: 'oncall', at: minutes(T0, 3) };
  respond({ kind: 'AcknowledgeIncident', ...by });
  respond({ kind: 'AddNote', noteId: 'n-1', text: 'Throttled the agent', ...by });
  respond({ kind: 'SetStatus', status: 'identified', ...by });
  respond({ kind: 'ChangeSeverity', severity: 'SEV-1', reason: 'checkout is down', ...by });
  respond({
    kind: 'RecordRootCause', ...by,
    analysis: {
      fiveWhys: ['the agent retried without back-off'], fishbone: { people: [], process: ['no load test'], technology: ['no retry budget'], environment: [] },
      rootCause: 'no retry budget', fix: 'a retry budget per agent', contributingFactors: [], wentWell: ['alert fired'], wentPoorly: [], lessonsLearned: [],
    },
  });
  respond({ kind: 'AddActionItem', itemId: 'a-1', title: 'Retry budget', priority: 'P1', owner: 'platform', dueDate: '2026-01-20', ...by });
  respond({ kind: 'CompleteActionItem', itemId: 'a-1', ...by });
  record(h.run({ kind: 'FireResolveTimer', firedAt: minutes(T0, 60) }));
  return events;
}

describe('the incident stream\'s events and their contracts (libs/contracts)', () => {
  it('has a schema for every event type, and each agrees with the domain\'s type', () => {
    expect(Object.values({ ...incidentTypesAgree, ...correlationTypesAgree }).every((v) => v === true)).toBe(true);
    expect(Object.keys(INCIDENT_PAYLOADS_V1).sort()).toEqual([...INCIDENT_EVENT_TYPES].sort());
  });

  it('writes only events their contract accepts, through a whole incident', () => {
    const events = aLifeOfOneIncident();
    const rejected = events.flatMap((e) => {
      const parsed = latestEventContract(e.type)?.schema.safeParse(e.data);
      return parsed?.success ? [] : [{ type: e.type, issues: parsed?.error.issues ?? 'no contract' }];
    });
    expect(rejected).toEqual([]);
    // The two escalation events are the remediation service's: remediation-domain's spec covers them.
    const covered = new Set(events.map((e) => e.type));
    expect([...INCIDENT_EVENT_TYPES, 'FailureObserved', 'IncidentLinked'].filter((t) => !covered.has(t as IncidentEvent['type']))).toEqual(['AcknowledgementDeadlineScheduled', 'IncidentEscalated']);
  });

  it('refuses a payload with a field the contract does not name, or without one it requires', () => {
    const schema = INCIDENT_PAYLOADS_V1.IncidentAcknowledged;
    expect(schema.safeParse({ at: T0, actor: 'oncall' }).success).toBe(true);
    expect(schema.safeParse({ at: T0, actor: 'oncall', by: 'x' }).error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['by'] });
    expect(schema.safeParse({ at: 'yesterday', actor: 'oncall' }).error?.issues[0]).toMatchObject({ path: ['at'] });
  });
});
