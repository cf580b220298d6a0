import { PAYLOAD_UPCASTS } from '@incident/contracts';
import { UpcasterRegistry } from '@incident/event-store';

/**
 * Every event schema change the contracts know (PAYLOAD_UPCASTS), registered for an EventStore:
 * what every service's store reads through unless it is given a registry of its own, so a
 * service never sees a payload older than the version it was built for (DESIGN.md: old versions
 * are read through upcasters, never rewritten). The relay, reading through it, publishes the
 * latest version too.
 */
export function eventUpcasters(): UpcasterRegistry {
  const registry = new UpcasterRegistry();
  for (const step of PAYLOAD_UPCASTS) registry.register(step.type, step.fromVersion, (payload) => step.upcast(payload));
  return registry;
}
