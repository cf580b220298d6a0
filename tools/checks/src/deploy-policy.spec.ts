import { DEFAULT_PARTITIONS, TOPICS } from '@incident/contracts';
import { defaultPortOf, knownVariables, parseServiceEnv } from './support/service-env';
import { OVERLAYS, byKind, overlayPath, selects, validate, type KubeObject } from './support/manifests';
import { serviceProjects } from './support/workspace';

// What the schemas cannot say: the rules every rendered overlay must keep (security contexts,
// probes, budgets, autoscaling bounded by partitions, secrets only by reference, network policy).
const rendered = new Map(OVERLAYS.map((o) => [o, validate(overlayPath(o)).results[0].objects]));
const SECRET_VARIABLES = ['DATABASE_URL', 'DATABASE_PASSWORD', 'INCIDENT_API_KEYS', 'INCIDENT_ADMIN_KEY', 'KAFKA_SASL_PASSWORD'];

type Container = KubeObject;
const podSpec = (o: KubeObject) => o['spec'].template.spec;
const containersOf = (o: KubeObject): Container[] => podSpec(o).containers;
const workloads = (objects: KubeObject[]) => objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job');
const named = (objects: KubeObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

/** The environment a container sees: ConfigMaps via envFrom, then env; secrets as placeholders. */
function containerEnv(objects: KubeObject[], container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container['envFrom'] ?? []) {
    const cm = named(objects, 'ConfigMap', from.configMapRef?.name);
    if (!cm) throw new Error(`envFrom names a missing ConfigMap ${from.configMapRef?.name}`);
    Object.assign(env, cm['data']);
  }
  for (const e of container['env'] ?? []) {
    if (e.value !== undefined) env[e.name] = e.value.replace(/\$\((\w+)\)/g, (_: string, v: string) => env[v] ?? '');
    else if (e.valueFrom?.configMapKeyRef) env[e.name] = named(objects, 'ConfigMap', e.valueFrom.configMapKeyRef.name)?.['data'][e.valueFrom.configMapKeyRef.key];
    else if (e.valueFrom?.secretKeyRef) env[e.name] = placeholder(e.name);
  }
  return env;
}

// Stand-ins for values that live in Secrets, shaped as the services expect them.
function placeholder(variable: string): string {
  if (variable === 'DATABASE_URL') return 'postgres://incident_app:secret@db:5432/incidents';
  if (variable === 'INCIDENT_API_KEYS') return JSON.stringify([{ name: 'ops', scopes: ['admin'], sha256: 'a'.repeat(64) }]);
  return 'secret';
}

describe.each(OVERLAYS)('overlays/%s', (overlay) => {
  const objects = rendered.get(overlay) ?? [];
  const deployments = byKind(objects, 'Deployment');

  it('deploys every service of the workspace, and the migration Job', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(serviceProjects().map((p) => p.name));
    expect(byKind(objects, 'Job').map((j) => j.metadata.name)).toEqual(['migrate']);
  });

  it('runs every pod non-root, read-only, without privilege escalation or capabilities, under RuntimeDefault seccomp', () => {
    for (const w of workloads(objects)) {
      const pod = podSpec(w);
      expect({ w: w.metadata.name, pod: pod.securityContext }).toMatchObject({ pod: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(named(objects, 'ServiceAccount', pod.serviceAccountName)).toBeDefined();
      for (const c of containersOf(w)) {
        expect({ w: w.metadata.name, sc: c['securityContext'] }).toEqual({
          w: w.metadata.name,
          sc: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        });
        // A writable /tmp on an emptyDir, since the root filesystem is read-only.
        const tmp = c['volumeMounts']?.find((m: { mountPath: string }) => m.mountPath === '/tmp');
        expect(pod.volumes.find((v: { name: string }) => v.name === tmp?.name)?.emptyDir).toBeDefined();
        expect(c['resources']?.limits?.memory).toBe('256Mi');
        expect(c['resources']?.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
        expect(c['image']).toMatch(/:[\w.-]+$/); // a tag, set by the overlay
        expect(c['image']).not.toMatch(/:latest$/);
      }
    }
  });

  it.each(serviceProjects().map((p) => p.name))('%s: probes /readyz and /healthz on the port it listens on, with the environment its config accepts', (name) => {
    const deployment = named(objects, 'Deployment', name) as KubeObject;
    const [container] = containersOf(deployment);
    const env = containerEnv(objects, container);
    const parsed = parseServiceEnv(name, defaultPortOf(name), env);
    expect(parsed.http.host).toBe('0.0.0.0');
    const http = container['ports'].find((p: { name: string }) => p.name === 'http');
    expect(http.containerPort).toBe(parsed.http.port);
    expect(container['readinessProbe'].httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container['livenessProbe'].httpGet).toEqual({ path: '/healthz', port: 'http' });
    const known = knownVariables(name);
    expect(Object.keys(env).filter((k) => !known.has(k) && k !== 'DATABASE_PASSWORD')).toEqual([]);
    // $(VAR) only expands variables defined earlier in the list.
    const order: string[] = container['env'].map((e: { name: string }) => e.name);
    for (const e of container['env']) {
      for (const [, ref] of String(e.value ?? '').matchAll(/\$\((\w+)\)/g)) expect(order.indexOf(ref)).toBeLessThan(order.indexOf(e.name));
    }
    const service = byKind(objects, 'Service').find((s) => selects(s['spec'].selector, podSpecLabels(deployment)));
    expect(service?.['spec'].ports).toEqual([expect.objectContaining({ port: parsed.http.port, targetPort: 'http' })]);
    expect(byKind(objects, 'PodDisruptionBudget').filter((p) => selects(p['spec'].selector.matchLabels, podSpecLabels(deployment)))).toHaveLength(1);
  });

  it('scales the consumers by HPA, never past the partitions of the topics they consume', () => {
    const hpas = byKind(objects, 'HorizontalPodAutoscaler');
    expect(hpas.map((h) => h.metadata.name).sort()).toEqual(['classifier', 'correlation', 'postmortem', 'remediation']);
    for (const hpa of hpas) {
      const topics = (hpa.metadata.annotations?.['incident-platform/consumes'] ?? '').split(',').filter(Boolean);
      expect(topics.length).toBeGreaterThan(0);
      for (const topic of topics) {
        const partitions = TOPICS.find((t) => t.name === topic)?.partitions;
        expect({ topic, partitions }).toEqual({ topic, partitions: DEFAULT_PARTITIONS });
        expect(hpa['spec'].maxReplicas).toBeLessThanOrEqual(partitions as number);
      }
      expect(hpa['spec'].minReplicas).toBeLessThanOrEqual(hpa['spec'].maxReplicas);
      const target = named(objects, 'Deployment', hpa['spec'].scaleTargetRef.name);
      expect(target).toBeDefined();
      expect(target?.['spec'].replicas).toBeUndefined(); // the HPA owns the count
    }
  });

  it('keeps secrets out: no Secret objects, secret variables only by secretKeyRef', () => {
    expect(byKind(objects, 'Secret')).toEqual([]);
    for (const cm of byKind(objects, 'ConfigMap')) {
      expect(Object.keys(cm['data'] ?? {}).filter((k) => SECRET_VARIABLES.includes(k))).toEqual([]);
    }
    for (const w of workloads(objects)) {
      for (const c of containersOf(w)) {
        for (const e of c['env'] ?? []) {
          if (!SECRET_VARIABLES.includes(e.name)) continue;
          // Either a reference, or a URL whose password is itself a reference.
          if (e.valueFrom) expect(e.valueFrom.secretKeyRef).toBeDefined();
          else expect(e.value).toMatch(/:\$\(\w+\)@/);
        }
      }
    }
  });

  it('denies all traffic by default, lets only ingest in from anywhere, and Postgres and Kafka out only from the services', () => {
    const policies = byKind(objects, 'NetworkPolicy');
    const denyAll = policies.find((p) => Object.keys(p['spec'].podSelector).length === 0 && !p['spec'].ingress && !p['spec'].egress);
    expect(denyAll?.['spec'].policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    const openToAll = policies.filter((p) => (p['spec'].ingress ?? []).some((rule: { from?: unknown[] }) => !rule.from || rule.from.length === 0));
    const exposedPods = workloads(objects).filter((w) => openToAll.some((p) => selects(p['spec'].podSelector.matchLabels, podSpecLabels(w))));
    expect(exposedPods.map((w) => w.metadata.name)).toEqual(['ingest']);
    for (const [port, allowed] of [
      [5432, ['classifier', 'correlation', 'ingest', 'migrate', 'postmortem', 'remediation']],
      [9093, ['classifier', 'correlation', 'ingest', 'postmortem', 'remediation']],
    ] as const) {
      const reaching = workloads(objects).filter((w) =>
        policies.some(
          (p) =>
            selects(p['spec'].podSelector.matchLabels, podSpecLabels(w)) &&
            (p['spec'].egress ?? []).some((rule: { ports?: { port: number }[] }) => rule.ports?.some((x) => x.port === port)),
        ),
      );
      expect(reaching.map((w) => w.metadata.name).sort()).toEqual([...allowed]);
    }
  });

  it('lets ingest reach remediation at the REMEDIATION_URL it forwards to, and nothing else into remediation but metrics', () => {
    const policies = byKind(objects, 'NetworkPolicy');
    const ingest = named(objects, 'Deployment', 'ingest') as KubeObject;
    const remediation = named(objects, 'Deployment', 'remediation') as KubeObject;
    const target = new URL(containerEnv(objects, containersOf(ingest)[0])['REMEDIATION_URL']);
    // The URL names remediation's Service and its port.
    const service = named(objects, 'Service', target.hostname) as KubeObject;
    expect(service).toBeDefined();
    expect(selects(service['spec'].selector, podSpecLabels(remediation))).toBe(true);
    expect(service['spec'].ports.map((p: { port: number }) => p.port)).toContain(Number(target.port));
    const remediationPort = containersOf(remediation)[0]['ports'].find((p: { name: string }) => p.name === 'http').containerPort;
    // Egress from ingest to remediation's pods on the container port the Service targets.
    const egress = policies.filter((p) => selects(p['spec'].podSelector.matchLabels, podSpecLabels(ingest)));
    expect(
      egress.some((p) =>
        (p['spec'].egress ?? []).some(
          (rule: { to?: { podSelector?: { matchLabels: Record<string, string> } }[]; ports?: { port: number | string }[] }) =>
            rule.to?.some((t) => t.podSelector && selects(t.podSelector.matchLabels, podSpecLabels(remediation))) &&
            rule.ports?.some((x) => x.port === remediationPort),
        ),
      ),
    ).toBe(true);
    // Ingress to remediation: from ingest's pods, and Prometheus' namespace; from no one else.
    const ingress = policies.filter((p) => selects(p['spec'].podSelector.matchLabels, podSpecLabels(remediation)) && p['spec'].ingress);
    const sources = ingress.flatMap((p) => p['spec'].ingress.flatMap((rule: { from?: KubeObject[] }) => rule.from ?? [{}]));
    expect(sources.some((f: KubeObject) => f['podSelector'] && !f['namespaceSelector'] && selects(f['podSelector'].matchLabels, podSpecLabels(ingest)))).toBe(true);
    const others = sources.filter((f: KubeObject) => !(f['podSelector'] && !f['namespaceSelector'] && selects(f['podSelector'].matchLabels, podSpecLabels(ingest))));
    expect(others).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
  });
});

describe('overlays/production', () => {
  const objects = rendered.get('production') ?? [];
  const config = byKind(objects, 'ConfigMap').find((c) => c.metadata.name.startsWith('incident-platform'))?.['data'] ?? {};

  it('runs in production mode against Strimzi Kafka and CloudNativePG', () => {
    expect(config['NODE_ENV']).toBe('production');
    expect(config['KAFKA_BROKERS']).toMatch(/^[\w-]+-kafka-bootstrap\.[\w-]+\.svc:9093$/);
    expect(config['KAFKA_SSL']).toBe('true');
    for (const d of byKind(objects, 'Deployment')) {
      const url = containersOf(d)[0]['env'].find((e: { name: string }) => e.name === 'DATABASE_URL');
      expect(new URL(url.value).hostname).toMatch(/-rw$/);
      expect(new URL(url.value).username).toBe('incident_app');
    }
    const job = named(objects, 'Job', 'migrate') as KubeObject;
    const jobUrl = containersOf(job)[0]['env'].find((e: { name: string }) => e.name === 'DATABASE_URL');
    expect(jobUrl.valueFrom.secretKeyRef).toEqual({ name: expect.stringMatching(/-app$/), key: 'uri' });
  });

  it('pulls versioned images from a registry', () => {
    for (const w of workloads(objects)) for (const c of containersOf(w)) expect(c['image']).toMatch(/^[\w.-]+\.[a-z]+\/[\w./-]+:\d+\.\d+\.\d+$/);
  });
});

function podSpecLabels(workload: KubeObject): Record<string, string> {
  return workload['spec'].template.metadata.labels;
}
