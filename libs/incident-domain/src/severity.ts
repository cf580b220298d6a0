import { SEVERITIES, type Severity, type SignalLevel } from '@incident/contracts';
import type { DecisionBasis } from './events';
import type { CorrelationPolicy } from './policy';

export interface SeverityInputs {
  errorRate?: number;
  alertSeverity?: string;
  level: SignalLevel;
}

export interface SeverityAssessment {
  severity: Severity;
  reason: string;
  basis: DecisionBasis;
}

/** The playbook's severity table, read as rules over what has been measured. */
export function assessSeverity(inputs: SeverityInputs, policy: CorrelationPolicy): SeverityAssessment {
  const rate = inputs.errorRate;
  const pct = rate === undefined ? '' : `${(rate * 100).toFixed(1)}%`;
  const basis = (rule: string): DecisionBasis => ({
    rule,
    policyVersion: policy.version,
    inputs: {
      level: inputs.level,
      ...(rate === undefined ? {} : { errorRate: rate }),
      ...(inputs.alertSeverity ? { alertSeverity: inputs.alertSeverity } : {}),
    },
  });
  if (rate !== undefined && rate >= policy.productionDownErrorRate) {
    return { severity: 'SEV-1', reason: `production down: ${pct} of requests failing`, basis: basis('severity.production-down') };
  }
  if (rate !== undefined && rate >= policy.majorDegradationErrorRate) {
    return { severity: 'SEV-2', reason: `major degradation: ${pct} error rate`, basis: basis('severity.major-degradation') };
  }
  if (inputs.alertSeverity?.toLowerCase() === 'critical') {
    return { severity: 'SEV-2', reason: 'critical alert firing', basis: basis('severity.critical-alert') };
  }
  if (inputs.level === 'FATAL' || inputs.level === 'ERROR') {
    return { severity: 'SEV-3', reason: rate === undefined ? 'intermittent failures' : `minor degradation: ${pct} error rate`, basis: basis('severity.minor-degradation') };
  }
  return { severity: 'SEV-4', reason: 'warnings only', basis: basis('severity.warnings-only') };
}

/** True when `a` is more severe than `b` (SEV-1 is the most severe). */
export function moreSevere(a: Severity, b: Severity): boolean {
  return SEVERITIES.indexOf(a) < SEVERITIES.indexOf(b);
}
