import { ContractEnvelopeSchema, type EventEnvelope } from '@incident/contracts';
import { defineHandler, type MessageHandler } from '@incident/messaging';
import { decidePostmortem, foldHistory, type PostmortemEvent } from '@incident/postmortem-domain';
import type { EntityManager } from 'typeorm';
import { historyAsOf, lockPostmortem, type PostmortemDeps, readPostmortem, recordPostmortemEvents, triggerOf } from '../log/postmortem-log';

// Events that only ever happen while an incident is open (the platform counting, measuring and
// setting timers): they can never change a postmortem, so they are not worth reading the stream for.
const NEVER_AFTER_RESOLUTION = new Set(['IncidentOpened', 'SignalAttached', 'ErrorRateMeasured', 'ResolveTimerScheduled', 'AcknowledgementDeadlineScheduled']);

// Of those, the ones passed by unread and unclaimed (MessageHandler.handles): once per measurement
// or timer (SignalAttached, once per signal, is no longer published, but a topic replayed from the
// start still holds those of older relays). IncidentOpened, once per incident, is
// still taken in, so that the trace of the signal that opened an incident shows this service.
const PASSED_BY = new Set([...NEVER_AFTER_RESOLUTION].filter((type) => type !== 'IncidentOpened'));

const INCIDENT_STREAM = /^incident-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * One event of an incident stream: when the incident is resolved as of that event (the
 * resolution itself, or a note, root cause or action item recorded afterwards), draft the
 * postmortem again from the history up to it, and append it as a new revision when it says
 * something new. Any other event, or an incident still open, decides nothing.
 */
export async function draftOnIncidentEvent(tx: EntityManager, deps: PostmortemDeps, envelope: EventEnvelope): Promise<PostmortemEvent[]> {
  const incidentId = mayChangeAPostmortem(envelope);
  if (!incidentId) return [];
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

/** The incident an event is about, when it is one that may change a postmortem. */
function mayChangeAPostmortem(envelope: EventEnvelope): string | undefined {
  const incidentId = INCIDENT_STREAM.exec(envelope.streamId)?.[1];
  return incidentId && !NEVER_AFTER_RESOLUTION.has(envelope.type) ? incidentId : undefined;
}

/**
 * The consumer of `incidents.incidents.v1` (group `postmortem`). A batch drafts once per incident,
 * from its last event in the batch: a responder adding five action items after the resolution
 * makes one new revision with all five, not five revisions (the history read covers them all).
 * Every message is held to its event's contract (libs/contracts): the drafts are made of these
 * payloads, and a malformed one goes to the dead-letter topic, named, instead of into a draft.
 */
export function draftPostmortemHandler(deps: PostmortemDeps, topic: string): MessageHandler<EventEnvelope> {
  return defineHandler({
    topic,
    schema: ContractEnvelopeSchema,
    messageId: (envelope) => envelope.id,
    handles: (type) => !PASSED_BY.has(type),
    async handle(envelope, { manager }) {
      await draftOnIncidentEvent(manager, deps, envelope);
    },
    async handleBatch(messages, { manager }) {
      const latest = new Map<string, EventEnvelope>();
      for (const { value } of messages) {
        const incidentId = mayChangeAPostmortem(value);
        if (incidentId && (latest.get(incidentId)?.streamVersion ?? 0) < value.streamVersion) latest.set(incidentId, value);
      }
      for (const envelope of latest.values()) await draftOnIncidentEvent(manager, deps, envelope);
    },
  });
}
