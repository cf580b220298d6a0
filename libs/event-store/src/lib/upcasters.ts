import type { StoredEvent } from './types';

export type Payload = Record<string, unknown>;
/** Turns a payload of version n into version n + 1. Must return a new object, not edit its input. */
export type Upcaster = (payload: Payload, event: StoredEvent) => Payload;

/**
 * Old event versions are read through upcasters and never rewritten: the stored row, and so its
 * hash, stays what was written. Registering v1 -> v2 and v2 -> v3 reads a v1 event as v3.
 */
export class UpcasterRegistry {
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  register(type: string, fromVersion: number, fn: Upcaster): this {
    if (!Number.isInteger(fromVersion) || fromVersion < 1) {
      throw new RangeError(
        `upcaster for ${type}: fromVersion must be a positive integer, got ${fromVersion}`,
      );
    }
    const steps = this.byType.get(type) ?? new Map<number, Upcaster>();
    // A second upcaster for the same step would make reads depend on registration order.
    if (steps.has(fromVersion))
      throw new Error(
        `upcaster for ${type} v${fromVersion} is already registered`,
      );
    steps.set(fromVersion, fn);
    this.byType.set(type, steps);
    return this;
  }

  upcast(event: StoredEvent): StoredEvent {
    const steps = this.byType.get(event.type);
    if (!steps) return event;
    let version = event.schemaVersion;
    let payload = event.payload;
    for (let step = steps.get(version); step; step = steps.get(version)) {
      payload = step(payload, event);
      version++;
    }
    return version === event.schemaVersion
      ? event
      : { ...event, payload, schemaVersion: version };
  }
}
