import type { IncidentType } from '@incident/contracts';

// Words and numbers as the playbook's templates write them. Times are always UTC.

/** `2025-12-24` */
export function utcDate(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

/** `14:35:22`: seconds matter when an incident is worked in minutes. */
export function utcClock(iso: string): string {
  return new Date(iso).toISOString().slice(11, 19);
}

/** `14:35` */
export function utcHourMinute(iso: string): string {
  return new Date(iso).toISOString().slice(11, 16);
}

/** `2025-12-24 14:35 UTC` */
export function utcMinute(iso: string): string {
  return `${utcDate(iso)} ${utcHourMinute(iso)} UTC`;
}

/** The clock time, with the date in front when it is not `day` (a timeline that crosses midnight). */
export function clockOn(day: string, iso: string): string {
  return utcDate(iso) === day ? utcClock(iso) : `${utcDate(iso)} ${utcClock(iso)}`;
}

export function pct(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/**
 * `40 minutes`, `1 hour 5 minutes`, `2 days 3 hours`, `45 seconds`. Under ten minutes the seconds
 * stay, since a short incident's length is mostly in them.
 */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return plural(s, 'second');
  const minutes = Math.floor(s / 60);
  if (minutes < 10) return s % 60 === 0 ? plural(minutes, 'minute') : `${plural(minutes, 'minute')} ${plural(s % 60, 'second')}`;
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? plural(hours, 'hour') : `${plural(hours, 'hour')} ${plural(minutes % 60, 'minute')}`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? plural(days, 'day') : `${plural(days, 'day')} ${plural(hours % 24, 'hour')}`;
}

const TYPE_LABELS: Record<IncidentType, string> = {
  api_failure: 'API failure',
  rate_limit: 'Rate limit',
  timeout: 'Timeout',
  memory_leak: 'Memory leak',
  plugin_crash: 'Plugin crash',
  data_corruption: 'Data corruption',
  performance: 'Performance',
  authentication: 'Authentication',
  unclassified: 'Unclassified',
};

export function typeLabel(type: string): string {
  return TYPE_LABELS[type as IncidentType] ?? sentence(words(type));
}

/** `IncidentEscalated` -> `incident escalated` */
export function words(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Free text on one line, cut at `max` characters; the event keeps it whole. */
export function oneLine(value: unknown, max = 200): string {
  const text = (typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value)).replace(/\s+/g, ' ').trim();
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

// Where an event type this lib does not know keeps its words, tried in this order (a dotted
// path reads a nested field: a remediation proposal names its runbook in `runbook.title`).
const DETAIL_FIELDS = ['reason', 'summary', 'title', 'runbook.title', 'step', 'action', 'description', 'message', 'text', 'note', 'error', 'stepId'];

/** The words an unknown event type carries about itself, on one line; undefined when it has none. */
export function detailOf(payload: Readonly<Record<string, unknown>>, max = 200): string | undefined {
  for (const path of DETAIL_FIELDS) {
    const value = path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), payload);
    if (typeof value === 'string' && value.trim() !== '') return oneLine(value, max);
  }
  return undefined;
}
