import { type EventEnvelope, EventEnvelopeSchema } from '@incident/contracts';
import { defineHandler, type MessageHandler } from '@incident/messaging';
import { decidePostmortem, foldHistory, type PostmortemEvent } from '@incident/postmortem-domain';
import type { EntityManager } from 'typeorm';
import { historyAsOf, lockPostmortem, type PostmortemDeps, readPostmortem, recordPostmortemEvents, triggerOf } from '../log/postmortem-log';

// Events that only ever happen while an incident is open (the platform counting, measuring and
// setting timers): they can never change a postmortem, so they are not worth reading the stream for.
const NEVER_AFTER_RESOLUTION = new Set(['IncidentOpened', 'SignalAttached', 'ErrorRateMeasured', 'ResolveTimerScheduled', 'AcknowledgementDeadlineScheduled']);

const INCIDENT_STREAM = /^incident-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * One event of an incident stream: when the incident is resolved as of that event (the
 * resolution itself, or a note, root cause or action item recorded afterwards), draft the
 * postmortem again from the history up to it, and append it as a new revision when it says
 * something new. Any other event, or an incident still open, decides nothing.
 */
export async function draftOnIncidentEvent(tx: EntityManager, deps: PostmortemDeps, envelope: EventEnvelope): Promise<PostmortemEvent[]> {
  const incidentId = INCIDENT_STREAM.exec(envelope.streamId)?.[1];
  if (!incidentId || NEVER_AFTER_RESOLUTION.has(envelope.type)) return [];
  await lockPostmortem(tx, deps, incidentId);
  const history = await historyAsOf(deps.store, incidentId, envelope);
  if (foldHistory(history).status !== 'resolved') return [];
  const folded = await readPostmortem(deps.store, incidentId);
  const trigger = triggerOf({ ...envelope, occurredAt: new Date(envelope.occurredAt) });
  const events = decidePostmortem({ kind: 'DraftPostmortem', history, trigger }, folded.state);
  await recordPostmortemEvents(tx, deps, incidentId, folded, events, { eventId: envelope.id, metadata: envelope.metadata });
  deps.metrics?.decided('DraftPostmortem', events);
  return events;
}

/** The consumer of `incidents.incidents.v1` (group `postmortem`). */
export function draftPostmortemHandler(deps: PostmortemDeps, topic: string): MessageHandler<EventEnvelope> {
  return defineHandler({
    topic,
    schema: EventEnvelopeSchema,
    messageId: (envelope) => envelope.id,
    async handle(envelope, { manager }) {
      await draftOnIncidentEvent(manager, deps, envelope);
    },
  });
}
