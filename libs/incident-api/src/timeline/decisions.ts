import type { DecisionBasis } from '@incident/incident-domain';
import { actorOf, utc } from './format';
import type { EntryBody, TimelineEvent } from './timeline';

/**
 * One decision in words. Known incident events are worded from their payload; a type this code
 * does not know yet (responder events, say) still gets a line, from its name and its `reason`,
 * `note` or `message`, so the timeline never hides an event.
 */
export function describeDecision(e: TimelineEvent): EntryBody {
  const p = e.payload;
  const basis = basisOf(p['basis']);
  const withBasis = (what: string, actor: string): EntryBody => ({ what, actor, ...(basis ? { basis } : {}) });
  switch (e.type) {
    case 'IncidentOpened': {
      const classification = p['classification'] as { ruleId?: unknown; ruleSetVersion?: unknown } | undefined;
      const classified = classification?.ruleId ? `; classified by ${str(classification.ruleId)} (${str(classification.ruleSetVersion)})` : '';
      return withBasis(
        `opened ${str(p['severity'])} ${str(p['incidentType'])} incident "${str(p['title'])}" for ${str(p['source'])}${classified}`,
        actorOf(e, 'correlation'),
      );
    }
    case 'SeverityChanged':
      return withBasis(`severity ${str(p['from'])} -> ${str(p['to'])}: ${str(p['reason'])}`, actorOf(e, 'correlation'));
    case 'ResolveTimerScheduled': {
      const due = typeof p['dueAt'] === 'string' && !Number.isNaN(Date.parse(p['dueAt'])) ? utc(new Date(p['dueAt']).toISOString()) : str(p['dueAt']);
      const policy = p['policyVersion'] ? ` (quiet period of ${str(p['policyVersion'])})` : '';
      return withBasis(`auto-resolve timer set for ${due}${policy}`, actorOf(e, 'correlation'));
    }
    case 'IncidentResolved':
      return withBasis(`resolved: ${str(p['reason'])}`, actorOf(e, 'correlation'));
    default: {
      const detail = ['reason', 'note', 'message', 'text'].map((k) => p[k]).find((v) => typeof v === 'string');
      return withBasis(`${words(e.type)}${detail ? `: ${detail}` : ''}`, actorOf(e, 'unknown'));
    }
  }
}

/** A `basis` as the domain records it; anything else is not shown as one. */
function basisOf(value: unknown): DecisionBasis | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const b = value as Partial<DecisionBasis>;
  if (typeof b.rule !== 'string' || typeof b.policyVersion !== 'string') return undefined;
  const inputs = typeof b.inputs === 'object' && b.inputs !== null ? b.inputs : {};
  return { rule: b.rule, policyVersion: b.policyVersion, inputs };
}

/** `IncidentAcknowledged` -> `incident acknowledged`. */
function words(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '?' : JSON.stringify(value);
}
