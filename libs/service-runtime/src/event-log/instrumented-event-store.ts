import {
  type AppendManyOptions,
  type AppendOptions,
  type AppendResult,
  type EventMetadata,
  EventStore,
  type EventStoreOptions,
  type NewEvent,
  type StreamAppend,
} from '@incident/event-store';
import { activeTraceContext, traceContextToRecord } from '@incident/telemetry';
import { Counter, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

/**
 * The event store every service gets: the same log, plus
 * - the trace context of the active span recorded in each appended event's metadata (when it
 *   continues the event's own trace, see traceContextToRecord). A consumer that copied its
 *   cause's traceparent thus records its own span instead, and the next service's span becomes
 *   a child of it: one trace tree from the request to the last decision. With tracing off no
 *   span is active and the metadata is stored as given.
 * - `event_log_events_appended_total` by type. Counted when the append statement succeeded; an
 *   append inside a transaction that later rolls back is counted too.
 */
export class InstrumentedEventStore extends EventStore {
  private readonly appended?: Counter<'type'>;

  constructor(dataSource: DataSource, options: EventStoreOptions & { registry?: Registry } = {}) {
    super(dataSource, options);
    if (options.registry) {
      this.appended = new Counter({
        name: 'event_log_events_appended_total',
        help: 'Events appended to the event log by this service, by type (counted at the append; a rolled-back transaction is counted too)',
        labelNames: ['type'],
        registers: [options.registry],
      });
    }
  }

  override async append(streamId: string, events: NewEvent[], opts: AppendOptions): Promise<AppendResult> {
    const result = await super.append(streamId, withTraceContext(events), opts);
    this.count([result]);
    return result;
  }

  override async appendMany(appends: readonly StreamAppend[], opts: AppendManyOptions = {}): Promise<AppendResult[]> {
    const stamp = metadataStamper();
    const results = await super.appendMany(stamp ? appends.map((a) => ({ ...a, events: a.events.map(stamp) })) : appends, opts);
    this.count(results);
    return results;
  }

  private count(results: readonly AppendResult[]): void {
    if (!this.appended) return;
    for (const r of results) for (const e of r.appended) this.appended.inc({ type: e.type });
  }
}

function withTraceContext(events: NewEvent[]): NewEvent[] {
  const stamp = metadataStamper();
  return stamp ? events.map(stamp) : events;
}

/**
 * Undefined when no span is active (the usual case with tracing off): nothing to do. Events of
 * one batch often share one metadata object, and the store serialises a shared one once; the
 * stamped copies are shared the same way.
 */
function metadataStamper(): ((event: NewEvent) => NewEvent) | undefined {
  if (!activeTraceContext().traceparent) return undefined;
  const stamped = new Map<EventMetadata | undefined, EventMetadata>();
  return (event) => {
    let metadata = stamped.get(event.metadata);
    if (!metadata) {
      const { traceparent, tracestate, ...rest } = event.metadata ?? {};
      const recorded = {
        ...(typeof traceparent === 'string' ? { traceparent } : {}),
        ...(typeof tracestate === 'string' ? { tracestate } : {}),
      };
      metadata = { ...rest, ...traceContextToRecord(recorded) };
      stamped.set(event.metadata, metadata);
    }
    return { ...event, metadata };
  };
}
