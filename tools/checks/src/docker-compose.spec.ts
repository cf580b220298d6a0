import { existsSync } from 'node:fs';
import { DEFAULT_PARTITIONS, TOPICS } from '@incident/contracts';
import { parse } from 'yaml';
import { defaultPortOf, knownVariables, parseServiceEnv } from './support/service-env';
import { fromRoot, readText, serviceProjects } from './support/workspace';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string> };
  depends_on?: Record<string, { condition: string }> | string[];
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
  healthcheck?: { test: string[] | string };
  volumes?: string[];
  restart?: string;
}

const compose = parse(readText('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;

/** What `docker compose` does to a value: ${VAR}, ${VAR:-default}, ${VAR:?error}, $$. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\{(\w+)(?:(:?[-?])([^}]*))?\}/g, (all, name?: string, op?: string, arg?: string) => {
    if (all === '$$') return '$';
    const v = env[name as string];
    if (op?.endsWith('?') && (v === undefined || (op === ':?' && v === ''))) throw new Error(`${name}: ${arg}`);
    if (op?.endsWith('-') && (v === undefined || (op === ':-' && v === ''))) return arg ?? '';
    return v ?? '';
  });
}

// What a user exports before `docker compose up` (the file's header says so).
const USER_ENV = { INCIDENT_ADMIN_KEY: 'k'.repeat(48) };

function environmentOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), USER_ENV)]));
}

function dependencies(service: ComposeService): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d.condition]));
}

/** host:container port pairs of `ports` ("127.0.0.1:8080:8080" -> 8080 -> 8080). */
function publishedPorts(service: ComposeService): { host: string; hostPort: number; containerPort: number }[] {
  return (service.ports ?? []).map((p) => {
    const parts = p.split(':');
    return { host: parts.length === 3 ? parts[0] : '0.0.0.0', hostPort: Number(parts.at(-2)), containerPort: Number(parts.at(-1)) };
  });
}

const nodeServices = Object.entries(services).filter(([, s]) => s.build?.args?.['SERVICE'] && s.build.args['SERVICE'] !== 'migrate');

describe('docker-compose.yml', () => {
  it('references only services it defines, with conditions compose knows', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dep, condition] of Object.entries(dependencies(service))) {
        expect({ name, dep, defined: dep in services }).toEqual({ name, dep, defined: true });
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        // Waiting for health needs a health check on the other side.
        if (condition === 'service_healthy') expect({ dep, healthcheck: Boolean(services[dep].healthcheck) }).toEqual({ dep, healthcheck: true });
      }
    }
  });

  it('runs every service of the workspace, after the migrations and the topics, with a /readyz health check', () => {
    const built = nodeServices.map(([, s]) => s.build?.args?.['SERVICE']).sort();
    expect(built).toEqual(serviceProjects().map((p) => p.name));
    for (const [name, service] of nodeServices) {
      expect({ name, deps: dependencies(service) }).toMatchObject({
        name,
        deps: { migrate: 'service_completed_successfully', 'kafka-topics': 'service_completed_successfully', postgres: 'service_healthy', kafka: 'service_healthy' },
      });
      expect(JSON.stringify(service.healthcheck?.test)).toMatch(/\/readyz/);
    }
  });

  it.each(nodeServices.map(([name, s]) => [name, s] as const))(
    '%s listens where its port mapping and health check point, with the environment its config schema accepts',
    (name, service) => {
      const env = environmentOf(service);
      const parsed = parseServiceEnv(name, defaultPortOf(name), env);
      expect(parsed.http.host).toBe('0.0.0.0');
      const ports = publishedPorts(service);
      expect(ports).toEqual([{ host: '127.0.0.1', hostPort: parsed.http.port, containerPort: parsed.http.port }]);
      expect(JSON.stringify(service.healthcheck?.test)).toContain(`127.0.0.1:${parsed.http.port}/readyz`);
      // Containers reach the others by service name, on the broker's INTERNAL listener.
      expect(parsed.databaseUrl.hostname).toBe('postgres');
      expect(parsed.databaseUrl.username).toBe('incident_app');
      const advertised = String(services['kafka'].environment?.['KAFKA_ADVERTISED_LISTENERS']);
      for (const broker of parsed.brokers) expect(advertised).toContain(`INTERNAL://${broker}`);
      // Every variable set is one the service reads: a typo would otherwise pass unnoticed.
      const known = knownVariables(name);
      expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
    },
  );

  it('runs the relay in ingest only', () => {
    for (const [name, service] of nodeServices) {
      const parsed = parseServiceEnv(name, defaultPortOf(name), environmentOf(service));
      expect({ name, relay: parsed.relayEnabled }).toEqual({ name, relay: name === 'ingest' });
    }
  });

  it("forwards ingest's remediation API to the remediation service, on the port it listens on", () => {
    const target = new URL(environmentOf(services['ingest'])['REMEDIATION_URL']);
    expect(target.hostname).toBe('remediation');
    const remediation = parseServiceEnv('remediation', defaultPortOf('remediation'), environmentOf(services['remediation']));
    expect(Number(target.port)).toBe(remediation.http.port);
  });

  it('migrates as an admin URL on the postgres service, from the migrate bundle', () => {
    const migrate = services['migrate'];
    expect(migrate.build?.args).toEqual({ SERVICE: 'migrate', APP_DIR: 'tools' });
    const url = new URL(environmentOf(migrate)['DATABASE_URL']);
    expect(url.hostname).toBe('postgres');
    expect(url.username).not.toBe('incident_app');
    expect(migrate.restart).toBe('no');
  });

  it('creates the roles the migrations need, from a file that exists', () => {
    const init = (services['postgres'].volumes ?? []).map((v) => v.split(':')).find(([, target]) => target.startsWith('/docker-entrypoint-initdb.d/'));
    expect(init).toBeDefined();
    expect(existsSync(fromRoot(init?.[0] ?? ''))).toBe(true);
    const sql = readText(init?.[0] ?? '');
    for (const role of ['incident_owner', 'incident_app', 'incident_reader']) expect(sql).toContain(`CREATE ROLE ${role}`);
  });

  it("creates exactly the contracts' topics with their partition count", () => {
    const env = services['kafka-topics'].environment ?? {};
    expect(String(env['TOPICS']).split(/\s+/).filter(Boolean).sort()).toEqual(TOPICS.map((t) => t.name).sort());
    expect(Number(env['PARTITIONS'])).toBe(DEFAULT_PARTITIONS);
    expect(new Set(TOPICS.map((t) => t.partitions))).toEqual(new Set([DEFAULT_PARTITIONS]));
  });

  it('publishes ports on the loopback interface only', () => {
    for (const service of Object.values(services)) {
      for (const p of publishedPorts(service)) expect(p.host).toBe('127.0.0.1');
    }
  });
});
