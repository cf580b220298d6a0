import { randomUUID } from 'node:crypto';
import { Streams } from '@incident/contracts';
import type { EventMetadata } from '@incident/event-store';
import { decideCircuitBreaker } from '@incident/remediation-domain';
import type { DataSource } from 'typeorm';
import { toNewEvents } from '../log/decision-events';
import { type RemediationDeps, retryOnConflict } from '../log/remediation-deps';

/**
 * The playbook's "Circuit Breaker Reset": recorded on the breaker's stream, which the relay
 * publishes on incidents.remediation.v1 for whatever holds the breaker to close it.
 */
export async function resetCircuitBreaker(
  dataSource: DataSource,
  deps: RemediationDeps,
  command: { dependency: string; actor: string; reason: string; at: string },
  metadata: EventMetadata,
): Promise<{ dependency: string; status: 'closed'; version: number }> {
  return dataSource.transaction((tx) =>
    retryOnConflict(tx, deps, async () => {
      const breaker = await deps.streams.circuitBreaker(command.dependency);
      const events = decideCircuitBreaker({ kind: 'ResetCircuitBreaker', ...command }, breaker.state);
      const streamId = Streams.circuitBreaker(command.dependency);
      const toAppend = toNewEvents(streamId, events, { eventId: randomUUID(), metadata }).map((e) => ({ ...e, metadata }));
      const result = await deps.store.append(streamId, toAppend, { expectedVersion: breaker.version, manager: tx });
      return { dependency: command.dependency, status: 'closed' as const, version: result.nextExpectedVersion };
    }),
  );
}
