import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse } from 'yaml';
import { metricsIn } from './support/promql';
import { fromRoot, readText } from './support/workspace';

// deploy/monitoring/prometheus-rules.yaml may only alert on metrics the services export: a
// renamed metric would otherwise leave an alert that silently never fires.
interface Rule {
  alert?: string;
  record?: string;
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

/**
 * What is wrong with the rules' expressions: each must parse as PromQL (a syntax error would make
 * Prometheus refuse the whole group, or the Operator drop the rule) and select only exported metrics.
 */
function ruleProblems(groups: { name: string; rules: Rule[] }[], exported: ReadonlySet<string>): string[] {
  const base = (name: string) => name.replace(/_(bucket|sum|count)$/, '');
  return groups.flatMap((g) =>
    g.rules.flatMap((r) => {
      const where = `${g.name}/${r.alert ?? r.record}`;
      try {
        return metricsIn(r.expr).filter((m) => !exported.has(m) && !exported.has(base(m))).map((m) => `${where}: no service exports ${m}`);
      } catch (err) {
        return [`${where}: ${(err as Error).message}`];
      }
    }),
  );
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
    }
  });

  it("alerts on the playbook's error rate above 5%, and on relay lag, consumer lag and dead letters", () => {
    const used = new Set(rules.flatMap((r) => metricsIn(r.expr)));
    expect([...used]).toEqual(expect.arrayContaining(['http_requests_total', 'ingest_relay_lag_events', 'messaging_consumer_group_lag', 'messaging_dead_letters_total']));
    expect(rules.find((r) => r.alert === 'IncidentPlatformHighErrorRate')?.expr).toMatch(/>\s*0\.05\b/);
  });

  it('parses as PromQL and uses only metrics some service exports', () => {
    expect(ruleProblems(doc.spec.groups, exportedMetrics())).toEqual([]);
  });

  it('fails on a rule that does not parse, naming the rule and where the expression breaks', () => {
    const exported = exportedMetrics();
    const broken = structuredClone(doc.spec.groups);
    const relayLag = broken.flatMap((g) => g.rules).find((r) => r.alert === 'IncidentPlatformRelayLag');
    if (!relayLag) throw new Error('IncidentPlatformRelayLag is gone from the rules: pick another rule to break');
    relayLag.expr = 'max(ingest_relay_lag_events > 1000'; // a parenthesis left open
    const errorRate = broken[0].rules[0];
    errorRate.expr = errorRate.expr.replace('rate(http_requests_total[5m])) > 0.1', 'rate(http_requests_total[5m])) > > 0.1');
    expect(ruleProblems(broken, exported)).toEqual([
      expect.stringMatching(/^incident-platform\.errors\/IncidentPlatformHighErrorRate: PromQL syntax error at line \d+, column \d+: near ".*> >/),
      expect.stringMatching(/^incident-platform\.pipeline\/IncidentPlatformRelayLag: PromQL syntax error at line 1, column 35: the expression ends too soon, after "ay_lag_events > 1000"$/),
    ]);
  });

  it('fails on a rule that selects a metric nobody exports', () => {
    const renamed = [{ name: 'g', rules: [{ alert: 'IncidentPlatformX', expr: 'sum(rate(ingest_signal_total[5m])) > 0' }] }];
    expect(ruleProblems(renamed, exportedMetrics())).toEqual(['g/IncidentPlatformX: no service exports ingest_signal_total']);
  });

  it('reads metric names out of expressions, not functions, keywords or labels', () => {
    expect(metricsIn('sum by (service) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m])) > 0.05 and max(up) > 0').sort()).toEqual(['http_requests_total', 'up']);
    expect(metricsIn('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))')).toEqual(['http_request_duration_seconds_bucket']);
    expect(metricsIn('sum without (instance) (increase(messaging_dead_letters_total{reason="unparseable"}[10m] offset 5m)) > 0 unless on (group) nodejs_eventloop_lag_seconds')).toEqual(['messaging_dead_letters_total', 'nodejs_eventloop_lag_seconds']);
  });
});
