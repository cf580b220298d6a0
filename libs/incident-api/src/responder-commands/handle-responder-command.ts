import { randomUUID } from 'node:crypto';
import { Streams } from '@incident/contracts';
import { ConcurrencyError, type EventMetadata, type EventStore, type NewEvent } from '@incident/event-store';
import { decideResponder, evolveIncident, type IncidentEvent, type IncidentState, initialIncident, reject, type ResponderCommand } from '@incident/incident-domain';
import { toIncidentEvent } from '../incident-events';

/** What a command that went through answers: the stream version it produced and the events it recorded. */
export interface CommandOutcome {
  incidentId: string;
  version: number;
  events: string[];
}

/**
 * The client decided on a version of the incident that is no longer the latest. Nothing was
 * recorded: it should read the incident again and decide again.
 */
export class StaleVersion extends Error {
  constructor(
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`the incident is at version ${actualVersion}, not ${expectedVersion}: read it again and retry`);
    this.name = 'StaleVersion';
  }
}

/**
 * Read, fold, decide, append at the version the client saw. Throws IncidentCommandRejected (the
 * domain's answer, also for an incident that does not exist) or StaleVersion. The version is
 * checked before deciding, so a client that missed a change learns that it did (stale_version)
 * rather than a verdict on a state it never saw; the append's own check catches a writer that
 * slipped in between the read and the append, so a lost race never overwrites.
 */
export async function handleResponderCommand(
  store: Pick<EventStore, 'readStream' | 'append'>,
  incidentId: string,
  command: ResponderCommand,
  expectedVersion: number,
  metadata: EventMetadata,
): Promise<CommandOutcome> {
  const streamId = Streams.incident(incidentId);
  const stored = await store.readStream(streamId);
  const state = stored.reduce<IncidentState>((s, e) => {
    const event = toIncidentEvent(e);
    return event ? evolveIncident(s, event) : s;
  }, initialIncident);
  if (state.status === 'none') throw reject.notFound(`incident ${incidentId}`);
  // The stream's version, not the fold's: an event type this code skips still moved the stream.
  const version = stored[stored.length - 1].streamVersion;
  if (version !== expectedVersion) throw new StaleVersion(expectedVersion, version);
  const events = decideResponder(command, state);
  try {
    const result = await store.append(streamId, events.map((e) => toNewEvent(e, metadata)), { expectedVersion });
    return { incidentId, version: result.nextExpectedVersion, events: events.map((e) => e.type) };
  } catch (error) {
    if (error instanceof ConcurrencyError) throw new StaleVersion(expectedVersion, error.actual);
    throw error;
  }
}

/** As the log keeps a domain event: its type, its data as the payload, its own `at` as the event time. */
function toNewEvent(event: IncidentEvent, metadata: EventMetadata): NewEvent {
  return { id: randomUUID(), type: event.type, schemaVersion: 1, occurredAt: new Date(event.data.at), payload: { ...event.data }, metadata };
}
