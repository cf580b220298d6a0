import { reject } from '../errors';

// Stream `circuit-breaker-<dependency>`: one breaker per dependency (the playbook's
// CircuitBreakerManager keyed by service name). Opened by a runbook step (api_failure), reset by
// a person once the dependency is fixed (the playbook's "Circuit Breaker Reset").

export type CircuitBreakerEvent =
  | { type: 'CircuitBreakerOpened'; data: { at: string; dependency: string; incidentId: string; runId: string; stepId: string; reason: string } }
  | { type: 'CircuitBreakerReset'; data: { at: string; dependency: string; actor: string; reason: string; openedAt: string; openedFor: string } };

export type CircuitBreakerEventType = CircuitBreakerEvent['type'];
export const CIRCUIT_BREAKER_EVENT_TYPES: readonly CircuitBreakerEventType[] = ['CircuitBreakerOpened', 'CircuitBreakerReset'];

export function isCircuitBreakerEventType(type: string): type is CircuitBreakerEventType {
  return (CIRCUIT_BREAKER_EVENT_TYPES as readonly string[]).includes(type);
}

export type CircuitBreakerState =
  | { status: 'unknown'; version: 0 }
  | { status: 'open'; dependency: string; openedAt: string; incidentId: string; version: number }
  | { status: 'closed'; dependency: string; resetAt: string; resetBy: string; version: number };

export const initialCircuitBreaker: CircuitBreakerState = { status: 'unknown', version: 0 };

export type CircuitBreakerCommand =
  | { kind: 'OpenCircuitBreaker'; dependency: string; incidentId: string; runId: string; stepId: string; reason: string; at: string }
  | { kind: 'ResetCircuitBreaker'; dependency: string; actor: string; reason: string; at: string };

/** Dependency names become stream ids and URL segments: short, lower case, no separators to confuse. */
export const DEPENDENCY_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export function decideCircuitBreaker(command: CircuitBreakerCommand, state: CircuitBreakerState): CircuitBreakerEvent[] {
  if (!DEPENDENCY_NAME.test(command.dependency)) {
    throw reject.invalid('INVALID_DEPENDENCY', `"${command.dependency}" is not a dependency name (lower case letters, digits, ".", "_", "-")`);
  }
  switch (command.kind) {
    case 'OpenCircuitBreaker': {
      // Already open: another incident of the same outage, nothing new to record.
      if (state.status === 'open') return [];
      const { kind: _kind, ...data } = command;
      return [{ type: 'CircuitBreakerOpened', data }];
    }
    case 'ResetCircuitBreaker': {
      if (state.status === 'unknown') throw reject.notFound(`a circuit breaker for ${command.dependency}`);
      if (state.status === 'closed') throw reject.conflict('ALREADY_CLOSED', `the circuit breaker for ${command.dependency} was reset by ${state.resetBy} at ${state.resetAt}`);
      if (command.reason.trim() === '') throw reject.invalid('EMPTY_FIELD', 'reason must not be empty');
      const { kind: _kind, ...data } = command;
      return [{ type: 'CircuitBreakerReset', data: { ...data, openedAt: state.openedAt, openedFor: state.incidentId } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export function evolveCircuitBreaker(state: CircuitBreakerState, event: CircuitBreakerEvent): CircuitBreakerState {
  const version = state.version + 1;
  switch (event.type) {
    case 'CircuitBreakerOpened':
      return { status: 'open', dependency: event.data.dependency, openedAt: event.data.at, incidentId: event.data.incidentId, version };
    case 'CircuitBreakerReset':
      return { status: 'closed', dependency: event.data.dependency, resetAt: event.data.at, resetBy: event.data.actor, version };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function foldCircuitBreaker(events: readonly CircuitBreakerEvent[]): CircuitBreakerState {
  return events.reduce(evolveCircuitBreaker, initialCircuitBreaker);
}
