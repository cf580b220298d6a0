import type { CorrelationCommand, TrafficMeasurement } from './commands';
import { decideCorrelation } from './correlate';
import { evolveCorrelation, initialCorrelation, type CorrelationState } from './correlation-state';
import type { Observation } from './events';
import { evolveIncident, initialIncident, type IncidentState } from './incident-state';
import { type CorrelationPolicy, POLICY_V1 } from './policy';

/**
 * Runs commands through decide and evolve, as the correlation service does, so specs can say
 * "given these signals, then this incident" without any IO.
 */
export class CorrelationHarness {
  correlation: CorrelationState = initialCorrelation;
  incident: IncidentState = initialIncident;
  readonly opened: string[] = [];
  private seq = 0;

  constructor(readonly policy: CorrelationPolicy = POLICY_V1) {}

  signal(fields: Partial<Observation> & { at: string }, traffic?: TrafficMeasurement) {
    const observation: Observation = { signalId: `s-${++this.seq}`, level: 'ERROR', message: 'Rate limit exceeded', errorCode: '429', ...fields };
    return this.run({
      kind: 'CorrelateSignal',
      observation,
      classification: { type: 'rate_limit', fingerprint: 'api|agent|rate_limit', source: 'api', ruleId: 'rate-limit.http-429', ruleSetVersion: 'classifier-rules/v1' },
      incidentIdIfOpened: `incident-${observation.signalId}`,
      traffic,
    });
  }

  run(command: CorrelationCommand) {
    const decision = decideCorrelation(command, { correlation: this.correlation, incident: this.incident }, this.policy);
    const window = { windowMs: this.policy.windowMs, maxEntries: this.policy.failuresToOpen };
    for (const e of decision.correlationEvents) this.correlation = evolveCorrelation(this.correlation, e, window);
    if (decision.incidentEvents[0]?.type === 'IncidentOpened') {
      this.opened.push(decision.incidentEvents[0].data.incidentId);
      this.incident = initialIncident;
    }
    for (const e of decision.incidentEvents) this.incident = evolveIncident(this.incident, e);
    return decision;
  }
}

export function minutes(base: string, n: number): string {
  return new Date(Date.parse(base) + n * 60_000).toISOString();
}

export function traffic(requests: number, errors: number, windowEnd: string): TrafficMeasurement {
  return { windowStart: minutes(windowEnd, -1), windowEnd, requests, errors };
}
