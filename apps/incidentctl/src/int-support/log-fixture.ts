import { randomUUID } from 'node:crypto';
import { Streams } from '@incident/contracts';
import { type StoredEvent, eventHash } from '@incident/event-store';
import type { IncidentEvent } from '@incident/incident-domain';
import { type ScratchEventStore, appRoleUrl, createScratchEventStore } from '@incident/testing';
import { type CliRun, runCli } from '../testing/run-cli';

export interface LogFixture {
  scratch: ScratchEventStore;
  /** `"schema"` for SQL text. */
  s: string;
  /** Runs incidentctl against the scratch log as incident_reader (or another role). */
  cli(args: readonly string[], opts?: { role?: string; env?: Record<string, string> }): Promise<CliRun>;
  /** Appends literal incident events to an incident's stream, one append per call, as correlation does. */
  appendIncident(incidentId: string, events: readonly IncidentEvent[]): Promise<StoredEvent[]>;
  /** Some traffic that is not an incident: signal streams, which every command must pass by. */
  appendSignals(n: number): Promise<void>;
  /** Runs SQL as the superuser with the log's append-only triggers off, as an attacker with those rights could. */
  behindTheLogsBack(sql: string, params?: unknown[]): Promise<void>;
  /** Rewrites a stream's events from `fromVersion` on and re-chains them, head included: a careful forgery. */
  forgeStream(streamId: string, fromVersion: number, edit: (payload: Record<string, unknown>) => Record<string, unknown>): Promise<void>;
  dispose(): Promise<void>;
}

export async function logFixture(): Promise<LogFixture> {
  const scratch = await createScratchEventStore();
  const s = `"${scratch.schema}"`;
  const fixture: LogFixture = {
    scratch,
    s,
    cli: (args, opts = {}) =>
      runCli(args, { DATABASE_URL: appRoleUrl(scratch.adminUrl, opts.role ?? 'incident_reader'), EVENT_LOG_SCHEMA: scratch.schema, ...opts.env }),
    async appendIncident(incidentId, events) {
      const stream = Streams.incident(incidentId);
      const result = await scratch.store.append(stream, events.map(newEvent), { expectedVersion: 'any' });
      return result.appended;
    },
    async appendSignals(n) {
      for (let i = 0; i < n; i++) {
        const id = randomUUID();
        await scratch.store.append(Streams.signal(id), [{ id, type: 'SignalReceived', schemaVersion: 1, occurredAt: new Date(), payload: { source: 'checkout', message: `signal ${i}` }, metadata: { actor: 'ingest' } }], { expectedVersion: 'no_stream' });
      }
    },
    async behindTheLogsBack(sql, params = []) {
      await withTriggersOff(scratch, s, () => scratch.admin.query(sql, params));
    },
    async forgeStream(streamId, fromVersion, edit) {
      const rows: StoredEvent[] = await scratch.store.readStream(streamId);
      await withTriggersOff(scratch, s, async () => {
        let prev = fromVersion === 1 ? '0'.repeat(64) : rows[fromVersion - 2].hash;
        for (const row of rows.slice(fromVersion - 1)) {
          const payload = edit(row.payload);
          const hash = eventHash(prev, { ...row, payload });
          await scratch.admin.query(`UPDATE ${s}.events SET payload = $3::jsonb, prev_hash = $4, hash = $5 WHERE stream_id = $1 AND stream_version = $2`, [
            streamId, row.streamVersion, JSON.stringify(payload), prev, hash,
          ]);
          prev = hash;
        }
        await scratch.admin.query(`UPDATE ${s}.streams SET last_hash = $2 WHERE stream_id = $1`, [streamId, prev]);
      });
    },
    dispose: () => scratch.dispose(),
  };
  return fixture;
}

/** How correlation stores a domain event: its type as the type, its data as the payload. */
export function newEvent(e: IncidentEvent) {
  return { id: randomUUID(), type: e.type, schemaVersion: 1, occurredAt: new Date(e.data.at), payload: { ...e.data } as Record<string, unknown>, metadata: { actor: 'correlation', correlationId: randomUUID() } };
}

// DISABLE TRIGGER ALL, then back: ENABLE TRIGGER ALL restores them as plain ENABLE, so the
// append-only triggers are set back to ENABLE ALWAYS as the migrations made them.
async function withTriggersOff<T>(scratch: ScratchEventStore, s: string, work: () => Promise<T>): Promise<T> {
  await scratch.admin.query(`ALTER TABLE ${s}.events DISABLE TRIGGER ALL`);
  await scratch.admin.query(`ALTER TABLE ${s}.streams DISABLE TRIGGER ALL`);
  try {
    return await work();
  } finally {
    await scratch.admin.query(`ALTER TABLE ${s}.events ENABLE TRIGGER ALL`);
    await scratch.admin.query(`ALTER TABLE ${s}.streams ENABLE TRIGGER ALL`);
    for (const trigger of ['events_no_update_delete', 'events_no_truncate']) await scratch.admin.query(`ALTER TABLE ${s}.events ENABLE ALWAYS TRIGGER ${trigger}`);
    for (const trigger of ['streams_forward_only', 'streams_no_delete', 'streams_no_truncate']) await scratch.admin.query(`ALTER TABLE ${s}.streams ENABLE ALWAYS TRIGGER ${trigger}`);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
