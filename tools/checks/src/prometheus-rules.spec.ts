import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse } from 'yaml';
import { fromRoot, readText } from './support/workspace';

// deploy/monitoring/prometheus-rules.yaml may only alert on metrics the services export: a
// renamed metric would otherwise leave an alert that silently never fires.
interface Rule {
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const doc = parse(readText('deploy/monitoring/prometheus-rules.yaml')) as {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { groups: { name: string; rules: Rule[] }[] };
};
const rules = doc.spec.groups.flatMap((g) => g.rules);

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

/** Metric names an expression selects: identifiers that are neither functions, keywords nor label names. */
export function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // label values
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\[[^\]]*\]/g, '') // range selectors
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ''); // label lists
  const names = [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)].map((m) => m[1]);
  return [...new Set(names.filter((n) => !PROMQL_WORDS.has(n.toLowerCase()) && !/^\d/.test(n)))];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return entry === 'node_modules' ? [] : sourceFiles(full);
    return /\.ts$/.test(entry) && !/\.spec\.ts$/.test(entry) ? [full] : [];
  });
}

/**
 * What the services export: the names given to prom-client metrics in the sources of apps and
 * libs (`name: '...'`, or a helper's first argument such as remediation's `counter('...')`),
 * plus prom-client's default process and Node.js metrics, which every service collects.
 */
function exportedMetrics(): Set<string> {
  const names = new Set<string>();
  for (const root of ['apps', 'libs']) {
    for (const file of sourceFiles(fromRoot(root))) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes("from 'prom-client'")) continue;
      for (const m of text.matchAll(/\bname:\s*'([a-z_:][a-z0-9_:]*)'/g)) names.add(m[1]);
      for (const m of text.matchAll(/\b(?:counter|gauge|histogram)\(\s*'([a-z_:][a-z0-9_:]*)'/g)) names.add(m[1]);
    }
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const metric of registry.getMetricsAsArray()) names.add(metric.name);
  return names;
}

describe('deploy/monitoring/prometheus-rules.yaml', () => {
  it('is a PrometheusRule with named groups of alerts', () => {
    expect({ apiVersion: doc.apiVersion, kind: doc.kind }).toEqual({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' });
    expect(doc.spec.groups.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect({ alert: rule.alert, severity: ['critical', 'warning', 'info'].includes(rule.labels?.severity ?? '') }).toEqual({ alert: expect.stringMatching(/^IncidentPlatform[A-Za-z]+$/), severity: true });
      expect(rule.annotations?.['summary']).toEqual(expect.any(String));
      if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smh]$/);
      // Balanced brackets: the cheapest syntax check short of a PromQL parser.
      for (const [open, close] of ['()', '{}', '[]']) expect(rule.expr.split(open).length).toBe(rule.expr.split(close).length);
    }
  });

  it("alerts on the playbook's error rate above 5%, and on relay lag, consumer lag and dead letters", () => {
    const used = new Set(rules.flatMap((r) => metricsIn(r.expr)));
    expect([...used]).toEqual(expect.arrayContaining(['http_requests_total', 'ingest_relay_lag_events', 'messaging_consumer_group_lag', 'messaging_dead_letters_total']));
    expect(rules.find((r) => r.alert === 'IncidentPlatformHighErrorRate')?.expr).toMatch(/>\s*0\.05\b/);
  });

  it('uses only metrics some service exports', () => {
    const exported = exportedMetrics();
    const base = (name: string) => name.replace(/_(bucket|sum|count)$/, '');
    const unknown = rules.flatMap((r) => metricsIn(r.expr).filter((m) => !exported.has(m) && !exported.has(base(m))).map((m) => `${r.alert}: ${m}`));
    expect(unknown).toEqual([]);
  });

  it('reads metric names out of expressions, not functions, keywords or labels', () => {
    expect(metricsIn('sum by (service) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m])) > 0.05 and max(up) > 0').sort()).toEqual(['http_requests_total', 'up']);
    expect(metricsIn('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))')).toEqual(['http_request_duration_seconds_bucket']);
  });
});
