import { createHash, randomUUID } from 'node:crypto';
import { RULES_V1 } from '@incident/classification';
import { deterministicUuid, type Signal, SIGNAL_RECEIVED, type SignalReceivedV2, Streams, TRAFFIC_SAMPLED, type TrafficSampledV1 } from '@incident/contracts';
import { type EventStore, PersonalData } from '@incident/event-store';
import type { DataSource } from 'typeorm';
import type { RecordedEvent } from '../replay/recorded';
import { Replayer } from '../replay/replayer';

/**
 * Writes what ingest, the classifier and correlation would have recorded for a scenario, one
 * input at a time and in the order the services take them, into a scratch "real" log. Signals
 * may be recorded as SignalReceived v1 (the plaintext userId, as before pseudonyms) or v2 (a
 * pseudonym from personal_data). The decisions are the domain libs' (through the replay engine,
 * which the e2e tier holds against the running services); what this proves is the plumbing:
 * reading the window, ordering, the scratch schema, the comparison.
 */
export class RecordedPipeline {
  private readonly engine = new Replayer();
  private readonly personal: PersonalData;

  constructor(
    private readonly store: EventStore,
    dataSource: DataSource,
  ) {
    this.personal = new PersonalData(dataSource);
  }

  async signal(signal: Signal & { id: string }, opts: { version?: 1 | 2 } = {}): Promise<void> {
    const version = opts.version ?? 2;
    const { userId, ...rest } = signal;
    const userRef = userId === undefined ? undefined : version === 1 ? userId : (await this.personal.userRefs([userId])).get(userId);
    const payload = version === 1 ? { signalId: signal.id, channel: 'http-json', signal } : { signalId: signal.id, channel: 'http-json', signal: rest, ...(userRef ? { userRef } : {}) };
    const received = {
      id: deterministicUuid(SIGNAL_RECEIVED, signal.id),
      type: SIGNAL_RECEIVED,
      schemaVersion: version,
      occurredAt: new Date(signal.timestamp ?? Date.now()),
      payload,
      metadata: { actor: 'test-publisher', correlationId: randomUUID() },
    };
    await this.store.append(Streams.signal(signal.id), [received], { expectedVersion: 'no_stream' });
    // The engine reads v2; for a v1 signal it carries the plaintext where v2 has the pseudonym,
    // which is what the services of that time copied into their decisions.
    const asRead = { ...received, streamId: '', streamVersion: 1, occurredAt: received.occurredAt.toISOString(), recordedAt: '', position: 0n, payload: { signalId: signal.id, channel: 'http-json', signal: rest, ...(userRef ? { userRef } : {}) } };
    const appends = this.engine.step({ kind: 'signal', received: asRead as unknown as RecordedEvent & { payload: SignalReceivedV2 }, ruleSetVersion: RULES_V1.version, policyVersion: 'correlation-policy/v1' });
    for (const append of appends) {
      const events = append.events.map((e) => (version === 1 && e.type === 'SignalClassified' ? asV1(e) : e));
      await this.store.append(append.streamId, events, { expectedVersion: append.expectedVersion });
    }
  }

  async traffic(sample: TrafficSampledV1): Promise<void> {
    const id = deterministicUuid(TRAFFIC_SAMPLED, createHash('sha256').update(JSON.stringify(sample)).digest('hex'));
    await this.store.append(Streams.source(sample.source), [{ id, type: TRAFFIC_SAMPLED, schemaVersion: 1, occurredAt: new Date(sample.windowEnd), payload: sample, metadata: { actor: 'test-publisher' } }], { expectedVersion: 'any' });
    this.engine.step({ kind: 'traffic-recorded', sample });
    await this.write(this.engine.step({ kind: 'traffic-measured', sampleId: id, metadata: {}, sample, policyVersion: 'correlation-policy/v1' }));
  }

  /** The resolve-timer poller's tick at a wall-clock instant. */
  async tick(firedAt: string): Promise<void> {
    await this.write(this.engine.step({ kind: 'timer-tick', firedAt, policyVersion: 'correlation-policy/v1' }));
  }

  private async write(appends: ReturnType<Replayer['step']>): Promise<void> {
    for (const append of appends) await this.store.append(append.streamId, append.events, { expectedVersion: append.expectedVersion });
  }
}

/** The classifier before v2: the publisher's userId in the decision. */
function asV1<E extends { schemaVersion: number; payload: Record<string, unknown> }>(event: E): E {
  const { userRef, ...rest } = event.payload;
  return { ...event, schemaVersion: 1, payload: { ...rest, ...(typeof userRef === 'string' ? { userId: userRef } : {}) } };
}
