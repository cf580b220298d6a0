import type { IncidentType, Signal } from '@incident/contracts';
import { matchRule } from './match-rule';
import type { Evidence, RuleSet } from './rule';

export interface Classification {
  type: IncidentType;
  /** Groups signals that belong to the same incident: source, component and type. */
  fingerprint: string;
  /** The rule that decided, or `fallback.unclassified` when none matched. */
  ruleId: string;
  ruleSetVersion: string;
  evidence: Evidence;
}

export const UNCLASSIFIED_RULE_ID = 'fallback.unclassified';

/** Classifies one signal: the first matching rule decides; nothing is ever dropped. */
export function classify(signal: Signal, ruleSet: RuleSet): Classification {
  for (const rule of ruleSet.rules) {
    const evidence = matchRule(rule, signal);
    if (evidence) {
      return decided(signal, rule.type, rule.id, ruleSet.version, evidence);
    }
  }
  return decided(signal, 'unclassified', UNCLASSIFIED_RULE_ID, ruleSet.version, {});
}

function decided(
  signal: Signal,
  type: IncidentType,
  ruleId: string,
  ruleSetVersion: string,
  evidence: Evidence,
): Classification {
  return { type, fingerprint: fingerprintOf(signal.source, signal.component, type), ruleId, ruleSetVersion, evidence };
}

/**
 * Readable on purpose (it appears in incident titles and stream ids); `|` cannot clash because
 * each part is escaped.
 */
export function fingerprintOf(source: string, component: string | undefined, type: IncidentType): string {
  const part = (s: string) => s.replace(/[%|]/g, (c) => encodeURIComponent(c));
  return [part(source), part(component ?? '-'), type].join('|');
}
