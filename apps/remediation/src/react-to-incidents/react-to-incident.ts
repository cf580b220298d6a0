import { deterministicUuid, Streams } from '@incident/contracts';
import { decideEscalation, decideRemediation, type EscalationCommand, evolveIncidentFacts, type IncidentFacts, pendingDeadline, type RemediationCommand } from '@incident/remediation-domain';
import { defineHandler, type MessageHandler } from '@incident/messaging';
import type { EntityManager } from 'typeorm';
import { type Cause, toNewEvents } from '../log/decision-events';
import { type RemediationDeps, retryOnConflict } from '../log/remediation-deps';
import { recordRemediation } from '../log/record-remediation';
import { IncidentMessageSchema, type IncidentMessage } from './incident-message';

/**
 * One incident event: an opening or a severity change proposes a runbook and sets the
 * acknowledgement deadline; an acknowledgement clears the deadline; a resolution clears it and
 * cancels the going run. Remediation first, then the incident stream, each under its row lock.
 */
export async function reactToIncident(tx: EntityManager, deps: RemediationDeps, m: Exclude<IncidentMessage, { kind: 'other' }>): Promise<void> {
  const cause: Cause = { eventId: m.envelope.id, metadata: m.envelope.metadata };
  switch (m.kind) {
    case 'opened':
      await remediate(tx, deps, m.incidentId, cause, (facts) => propose(m.incidentId, cause, facts, { event: 'IncidentOpened', severity: m.severity }, m.at));
      await escalate(tx, deps, m.incidentId, cause, { kind: 'ScheduleAcknowledgementDeadline', trigger: { event: 'IncidentOpened', at: m.at, severity: m.severity } });
      return;
    case 'severity-changed':
      await remediate(tx, deps, m.incidentId, cause, (facts) => propose(m.incidentId, cause, facts, { event: 'SeverityChanged', from: m.from, to: m.to }, m.at));
      await escalate(tx, deps, m.incidentId, cause, { kind: 'ScheduleAcknowledgementDeadline', trigger: { event: 'SeverityChanged', at: m.at, from: m.from, to: m.to } });
      return;
    case 'acknowledged':
      await escalate(tx, deps, m.incidentId, cause, undefined);
      return;
    case 'resolved':
      await remediate(tx, deps, m.incidentId, cause, () => ({ kind: 'CancelRemediation', reason: 'the incident resolved', at: m.at }));
      await escalate(tx, deps, m.incidentId, cause, undefined);
      return;
    default: {
      const _exhaustive: never = m;
      return _exhaustive;
    }
  }
}

function propose(incidentId: string, cause: Cause, facts: IncidentFacts, trigger: Extract<RemediationCommand, { kind: 'ProposeRemediation' }>['trigger'], at: string): RemediationCommand | undefined {
  // The incident as the log holds it gives type and source; an incident this service cannot read is not remediated.
  if (facts.status === 'none') return undefined;
  const runId = deterministicUuid('remediation-run', cause.eventId);
  return { kind: 'ProposeRemediation', incidentId, runId, incidentType: facts.type, source: facts.source, trigger, at };
}

async function remediate(tx: EntityManager, deps: RemediationDeps, incidentId: string, cause: Cause, command: (facts: IncidentFacts) => RemediationCommand | undefined): Promise<void> {
  await deps.timers.lock(tx, 'step', incidentId);
  await retryOnConflict(tx, deps, async () => {
    const facts = (await deps.streams.incident(incidentId)).state;
    const c = command(facts);
    if (!c) return;
    const remediation = await deps.streams.remediation(incidentId);
    const events = decideRemediation(c, remediation.state, deps.policy, deps.runbooks);
    await recordRemediation(tx, deps, incidentId, remediation, events, cause);
    deps.metrics?.decided(events[0]?.type ?? `${c.kind}:none`);
  });
}

/** Decides (or, with no command, only re-reads) the incident's deadline and sets its timer row from the result. */
async function escalate(tx: EntityManager, deps: RemediationDeps, incidentId: string, cause: Cause, command: EscalationCommand | undefined): Promise<void> {
  await deps.timers.lock(tx, 'acknowledgement', incidentId);
  await retryOnConflict(tx, deps, async () => {
    const incident = await deps.streams.incident(incidentId);
    const events = command ? decideEscalation(command, incident.state, deps.escalation) : [];
    let version = incident.version;
    let state = incident.state;
    if (events.length > 0) {
      const streamId = Streams.incident(incidentId);
      const result = await deps.store.append(streamId, toNewEvents(streamId, events, cause), { expectedVersion: incident.version, manager: tx });
      version = result.nextExpectedVersion;
      state = events.reduce(evolveIncidentFacts, state);
    }
    await deps.timers.schedule(tx, 'acknowledgement', incidentId, pendingDeadline(state), version);
    if (command) deps.metrics?.decided(events[0]?.type ?? `${command.kind}:none`);
  });
}

/** The incident events IncidentMessageSchema reads; every other type is 'other', and ignored. */
const REACTS_TO = new Set(['IncidentOpened', 'SeverityChanged', 'IncidentAcknowledged', 'IncidentResolved']);

/** The consumer of `incidents.incidents.v1` (group `remediation`). */
export function reactToIncidentHandler(deps: RemediationDeps, topic: string): MessageHandler<IncidentMessage> {
  return defineHandler({
    topic,
    schema: IncidentMessageSchema,
    messageId: (message) => message.envelope.id,
    // Measurements, notes, our own deadlines...: passed by unread and unclaimed.
    handles: (type) => REACTS_TO.has(type),
    async handle(message, { manager }) {
      if (message.kind !== 'other') await reactToIncident(manager, deps, message);
    },
  });
}
