import { specification } from '../spec-support';
import { type CircuitBreakerCommand, type CircuitBreakerEvent, decideCircuitBreaker, evolveCircuitBreaker, initialCircuitBreaker } from './circuit-breaker';

const T0 = '2025-12-24T14:35:00.000Z';
const given = specification<CircuitBreakerCommand, typeof initialCircuitBreaker, CircuitBreakerEvent>({
  decide: decideCircuitBreaker,
  evolve: evolveCircuitBreaker,
  initial: initialCircuitBreaker,
});

describe('circuit breaker per dependency', () => {
  it('opens when the api_failure runbook step ran, naming the incident', () => {
    expect(given([]).when(open())).toEqual([
      { type: 'CircuitBreakerOpened', data: { at: T0, dependency: 'claude-api', incidentId: 'i-1', runId: 'run-1', stepId: 'open-circuit-breaker', reason: 'API unreachable' } },
    ]);
  });

  it('records nothing when it is already open (another incident of the same outage)', () => {
    expect(given(given([]).when(open())).when({ ...open(), incidentId: 'i-2' })).toEqual([]);
  });

  it('is reset by hand once the dependency is fixed, recording who and since when it was open', () => {
    const h = given(given([]).when(open()));
    expect(h.when(reset())).toEqual([
      { type: 'CircuitBreakerReset', data: { at: '2025-12-24T15:15:00.000Z', dependency: 'claude-api', actor: 'alice', reason: 'API is back', openedAt: T0, openedFor: 'i-1' } },
    ]);
  });

  it('refuses to reset a breaker that is closed, or that never opened', () => {
    const closed = given([...given([]).when(open()), ...given(given([]).when(open())).when(reset())]);
    expect(closed.state.status).toBe('closed');
    expect(closed.rejects(reset())).toMatchObject({ code: 'ALREADY_CLOSED', kind: 'conflict' });
    expect(given([]).rejects(reset())).toMatchObject({ code: 'NOT_FOUND', kind: 'not_found' });
  });

  it('opens again after a reset', () => {
    const closed = given([...given([]).when(open()), ...given(given([]).when(open())).when(reset())]);
    expect(closed.when(open()).map((e) => e.type)).toEqual(['CircuitBreakerOpened']);
  });

  it('refuses a dependency name that cannot be a stream id, and a reset without a reason', () => {
    expect(given([]).rejects({ ...reset(), dependency: '../etc' })).toMatchObject({ code: 'INVALID_DEPENDENCY', kind: 'invalid' });
    expect(given(given([]).when(open())).rejects({ ...reset(), reason: ' ' })).toMatchObject({ code: 'EMPTY_FIELD', kind: 'invalid' });
  });
});

function open(): Extract<CircuitBreakerCommand, { kind: 'OpenCircuitBreaker' }> {
  return { kind: 'OpenCircuitBreaker', dependency: 'claude-api', incidentId: 'i-1', runId: 'run-1', stepId: 'open-circuit-breaker', reason: 'API unreachable', at: T0 };
}

function reset(): CircuitBreakerCommand {
  return { kind: 'ResetCircuitBreaker', dependency: 'claude-api', actor: 'alice', reason: 'API is back', at: '2025-12-24T15:15:00.000Z' };
}
