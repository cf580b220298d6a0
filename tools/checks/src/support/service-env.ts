import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadMessagingConfig } from '@incident/messaging';
import { loadApiKeys, loadServiceConfig } from '@incident/service-runtime';
import { fromRoot } from './workspace';

// The services' configuration schemas are keyed by the variable names (STYLE.md 9), so the
// variables a service can read are the upper-case keys of those files. Read from the source
// rather than listed here, so that a new variable is known without editing this test.
const CONFIG_SOURCES = [
  'libs/service-runtime/src/config/service-config.ts',
  'libs/service-runtime/src/auth/api-keys.ts',
  'libs/messaging/src/config/messaging-config.ts',
];

// Read by Node.js itself, not by the services' code.
const NODE_VARIABLES = ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS'];

function appConfigFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return appConfigFiles(full);
    return /config\.ts$/.test(entry) && !entry.endsWith('.spec.ts') ? [full] : [];
  });
}

/** Every environment variable the named service may read. */
export function knownVariables(service: string): Set<string> {
  const files = [...CONFIG_SOURCES.map((f) => fromRoot(f)), ...appConfigFiles(fromRoot('apps', service, 'src'))];
  const names = new Set<string>(NODE_VARIABLES);
  names.add(`${service.toUpperCase().replace(/-/g, '_')}_PORT`);
  names.add('HTTP_PORT');
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)) names.add(m[1]);
    for (const m of text.matchAll(/env\[['"]([A-Z][A-Z0-9_]+)['"]\]/g)) names.add(m[1]);
  }
  return names;
}

export interface ParsedServiceEnv {
  http: { host: string; port: number };
  environment: string;
  databaseUrl: URL;
  brokers: string[];
  relayEnabled: boolean;
}

/**
 * Parses `env` with the services' own loaders, as the service would at boot: a missing or
 * malformed variable fails here exactly as it would fail the container.
 */
export function parseServiceEnv(service: string, defaultPort: number, env: Record<string, string>): ParsedServiceEnv {
  const config = loadServiceConfig(service, defaultPort, env);
  loadApiKeys(env, config.environment);
  const messaging = loadMessagingConfig(env, { clientId: service });
  return {
    http: config.http,
    environment: config.environment,
    databaseUrl: new URL(config.database.url),
    brokers: messaging.kafka.brokers,
    relayEnabled: messaging.relay.enabled,
  };
}

/** The ports docs/architecture.md gives the services (each service's `defaultPort`). */
export function defaultPortOf(service: string): number {
  const main = readFileSync(fromRoot('apps', service, 'src', 'main.ts'), 'utf8');
  const m = /defaultPort:\s*(\d+)/.exec(main);
  if (!m) throw new Error(`apps/${service}/src/main.ts names no defaultPort`);
  return Number(m[1]);
}
