import { ALERT_LABEL_PREFIX } from '@incident/contracts';
import type { ClassificationRule, Evidence, SignalFacts } from './rule';

/**
 * Returns the evidence when every condition the rule states holds (conditions of one kind are
 * alternatives: any listed error code will do), or undefined when the rule does not apply.
 */
export function matchRule(rule: ClassificationRule, signal: SignalFacts): Evidence | undefined {
  if (rule.componentPattern && !new RegExp(rule.componentPattern, 'i').test(signal.component ?? '')) {
    return undefined;
  }
  const evidence: Evidence = {};
  const anyOf: boolean[] = [];

  if (rule.errorCodes) {
    const code = signal.errorCode === undefined ? undefined : String(signal.errorCode);
    const hit = code !== undefined && rule.errorCodes.includes(code);
    if (hit) evidence.errorCode = code;
    anyOf.push(hit);
  }
  if (rule.messagePatterns) {
    const pattern = rule.messagePatterns.find((p) => new RegExp(p, 'i').test(signal.message));
    if (pattern) evidence.messagePattern = pattern;
    anyOf.push(pattern !== undefined);
  }
  if (rule.attributePrefixes) {
    const keys = Object.keys(signal.attributes ?? {}).filter((k) =>
      rule.attributePrefixes?.some((prefix) => k.toLowerCase().startsWith(prefix)),
    );
    if (keys.length > 0) evidence.attributeKeys = keys.sort();
    anyOf.push(keys.length > 0);
  }
  if (rule.labels) {
    const labels = matchLabels(rule.labels, signal.attributes ?? {});
    if (labels) evidence.labels = labels;
    anyOf.push(labels !== undefined);
  }
  if (rule.minDurationMs !== undefined) {
    const hit = signal.durationMs !== undefined && signal.durationMs >= rule.minDurationMs;
    if (hit) evidence.durationMs = signal.durationMs;
    anyOf.push(hit);
  }
  // The kinds of condition are alternatives too: a 429 code OR a "rate limit" message is a rate
  // limit. A rule with no condition at all never matches (it would swallow everything).
  return anyOf.some(Boolean) ? evidence : undefined;
}

function matchLabels(
  wanted: Readonly<Record<string, string>>,
  attributes: Readonly<Record<string, unknown>>,
): Record<string, string> | undefined {
  const found: Record<string, string> = {};
  for (const [label, pattern] of Object.entries(wanted)) {
    const value = attributes[ALERT_LABEL_PREFIX + label];
    if (typeof value !== 'string' || !new RegExp(pattern, 'i').test(value)) return undefined;
    found[label] = value;
  }
  return found;
}
