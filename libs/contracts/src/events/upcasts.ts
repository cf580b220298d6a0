import { SIGNAL_CLASSIFIED, upcastSignalClassifiedV1 } from './signal-classified';
import { SIGNAL_RECEIVED, upcastSignalReceivedV1 } from './signal-received';

/** One step of an event's schema history: a payload of `fromVersion` read as `fromVersion + 1`. */
export interface PayloadUpcast {
  type: string;
  fromVersion: number;
  upcast(payload: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Every schema change of an event, as data: the services' and incidentctl's EventStore register
 * them (UpcasterRegistry), Kafka consumers apply them to what they receive (`upcastPayload`), so
 * every reader sees the latest version and stored rows are never rewritten (DESIGN.md).
 */
export const PAYLOAD_UPCASTS: readonly PayloadUpcast[] = [
  { type: SIGNAL_RECEIVED, fromVersion: 1, upcast: upcastSignalReceivedV1 },
  { type: SIGNAL_CLASSIFIED, fromVersion: 1, upcast: upcastSignalClassifiedV1 },
];

/** A payload read as the latest version of its type (unchanged for types without upcasts). */
export function upcastPayload(
  type: string,
  schemaVersion: number,
  payload: Record<string, unknown>,
): { schemaVersion: number; payload: Record<string, unknown> } {
  let version = schemaVersion;
  let current = payload;
  for (let step = find(type, version); step; step = find(type, version)) {
    current = step.upcast(current);
    version++;
  }
  return { schemaVersion: version, payload: current };
}

function find(type: string, fromVersion: number): PayloadUpcast | undefined {
  return PAYLOAD_UPCASTS.find((u) => u.type === type && u.fromVersion === fromVersion);
}
