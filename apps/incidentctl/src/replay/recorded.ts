/**
 * A recorded event as the replay reads it: already upcast to the latest schema version, with its
 * place in the log. Positions are bigints: they order everything the replay schedules.
 */
export interface RecordedEvent {
  id: string;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
  occurredAt: string;
  recordedAt: string;
  position: bigint;
}

export interface ReplayWindow {
  /** Inputs recorded (recorded_at) from this moment on ... */
  from: Date;
  /** ... up to and including this one. */
  to: Date;
  /** Only these sources' signals and traffic (every fingerprint belongs to one source). */
  sources?: readonly string[];
}

/** What the replay reads of the real log, in one snapshot. */
export interface RecordedLog {
  /** SignalReceived and TrafficSampled recorded in the window, in log order: the replay's inputs. */
  inputs: RecordedEvent[];
  /** The classifier's recorded decisions about those signals (causation: the SignalReceived). */
  classifications: RecordedEvent[];
  /**
   * Correlation and incident stream events that the inputs caused, or that were recorded up to
   * the window's end: the recorded decisions, the resolve-timer firings and responders' events.
   */
  decisions: RecordedEvent[];
}

export function causationOf(e: Pick<RecordedEvent, 'metadata'>): string | undefined {
  const id = e.metadata['causationId'];
  return typeof id === 'string' ? id : undefined;
}

export function actorOf(e: Pick<RecordedEvent, 'metadata' | 'payload'>): string | undefined {
  const actor = e.metadata['actor'] ?? e.payload['actor'];
  return typeof actor === 'string' ? actor : undefined;
}
