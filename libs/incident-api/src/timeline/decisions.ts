import type { DecisionBasis } from '@incident/incident-domain';
import { actorOf, clip, str, utc } from './format';
import { describeResponder, type ItemTitles } from './responder';
import type { EntryBody, TimelineEvent } from './timeline';

/**
 * One decision in words. Known incident events are worded from their payload; a type this code
 * does not know yet still gets a line, from its name and its `reason`, `note` or `message`, so
 * the timeline never hides an event. Decisions a person can take too (severity, resolution) name
 * their actor in the sentence, as the responder events do, whoever took them.
 */
export function describeDecision(e: TimelineEvent, titles: ItemTitles = new Map()): EntryBody {
  const p = e.payload;
  const basis = basisOf(p['basis']);
  const withBasis = (what: string, actor: string, actorNamed = false): EntryBody => ({
    what,
    actor,
    ...(basis ? { basis } : {}),
    ...(actorNamed ? { actorNamed } : {}),
  });
  const responder = describeResponder(e, titles);
  if (responder) return withBasis(responder, actorOf(e, 'unknown'), true);
  switch (e.type) {
    case 'IncidentOpened': {
      const classification = p['classification'] as { ruleId?: unknown; ruleSetVersion?: unknown } | undefined;
      const classified = classification?.ruleId ? `; classified by ${str(classification.ruleId)} (${str(classification.ruleSetVersion)})` : '';
      return withBasis(
        `opened ${str(p['severity'])} ${str(p['incidentType'])} incident "${str(p['title'])}" for ${str(p['source'])}${classified}`,
        actorOf(e, 'correlation'),
      );
    }
    case 'SeverityChanged': {
      const by = actorOf(e, 'correlation');
      return withBasis(`severity ${str(p['from'])} -> ${str(p['to'])} by ${by}: ${clip(p['reason'])}`, by, true);
    }
    case 'ResolveTimerScheduled': {
      const due = typeof p['dueAt'] === 'string' && !Number.isNaN(Date.parse(p['dueAt'])) ? utc(new Date(p['dueAt']).toISOString()) : str(p['dueAt']);
      const policy = p['policyVersion'] ? ` (quiet period of ${str(p['policyVersion'])})` : '';
      return withBasis(`auto-resolve timer set for ${due}${policy}`, actorOf(e, 'correlation'));
    }
    case 'IncidentResolved': {
      const by = actorOf(e, 'correlation');
      return withBasis(`resolved by ${by}: ${clip(p['reason'])}`, by, true);
    }
    default: {
      const detail = ['reason', 'note', 'message', 'text'].map((k) => p[k]).find((v) => typeof v === 'string');
      return withBasis(`${words(e.type)}${detail ? `: ${clip(detail)}` : ''}`, actorOf(e, 'unknown'));
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
