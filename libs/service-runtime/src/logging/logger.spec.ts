import { withLogFields } from '@incident/telemetry';
import { Logger } from '@nestjs/common';
import { createLogger, NestPinoLogger } from './logger';
import { configuredSecrets } from './secrets';

const ADMIN_KEY = 'ik_admin_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0';
const OTHER_KEY = 'ik_ops_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0';
const ODD_KEY = 'a-key-without-the-usual-prefix-0123456789';
const DB_PASSWORD = 's3cr3t-db-passw0rd';

function capture(env: NodeJS.ProcessEnv = {}) {
  const lines: string[] = [];
  const logger = createLogger({ service: 'ingest', level: 'debug', secrets: configuredSecrets(env), destination: { write: (l: string) => void lines.push(l) } });
  return { logger, nest: new NestPinoLogger(logger), lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('structured logs', () => {
  it('writes one JSON object per line with service, level, time and the fields of the work in hand', () => {
    const { nest, parsed } = capture();
    withLogFields({ event_id: 'e-1', incident_id: 'i-1' }, () => nest.log('classified', { topic: 't', partition: 2 }, 'Messaging'));
    expect(parsed()).toEqual([
      expect.objectContaining({ service: 'ingest', level: 'info', msg: 'classified', context: 'Messaging', topic: 't', partition: 2, event_id: 'e-1', incident_id: 'i-1', time: expect.any(String) }),
    ]);
  });

  it("keeps Nest's error(message, stack, context) and an Error's type and message", () => {
    const { nest, parsed } = capture();
    const error = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    nest.error('relay failed', error.stack, 'Relay');
    nest.error(error);
    const [first, second] = parsed();
    expect(first).toMatchObject({ level: 'error', msg: 'relay failed', context: 'Relay', stack: expect.stringContaining('ECONNREFUSED') });
    expect(second).toMatchObject({ msg: 'connect ECONNREFUSED 127.0.0.1:5432', err: expect.objectContaining({ type: 'Error' }) });
  });

  it('never writes an API key, a bearer token or a configured secret, wherever it was put', () => {
    const env = { INCIDENT_ADMIN_KEY: ODD_KEY, DATABASE_URL: `postgres://incident_app:${DB_PASSWORD}@db:5432/incidents` };
    const { logger, nest, lines } = capture(env);
    const headers = { authorization: `Bearer ${ADMIN_KEY}`, 'x-api-key': OTHER_KEY, accept: 'application/json' };
    logger.info({ req: { headers } }, 'request');
    logger.info({ headers }, 'headers');
    nest.warn(`unknown API key ${OTHER_KEY} presented`, 'ApiKeyGuard');
    nest.log('guard', { authorization: `bearer ${ADMIN_KEY}`, detail: { nested: { apiKey: ADMIN_KEY } } });
    nest.error(new Error(`cannot connect to postgres://incident_app:${DB_PASSWORD}@db:5432/incidents`));
    logger.info(`admin key is ${ODD_KEY}`);
    logger.info({ config: { INCIDENT_ADMIN_KEY: ODD_KEY, password: DB_PASSWORD } }, 'config');
    const all = lines.join('');
    for (const secret of [ADMIN_KEY, OTHER_KEY, ODD_KEY, DB_PASSWORD]) expect(all).not.toContain(secret);
    expect(all).toContain('[REDACTED]');
    expect(all).toContain('application/json');
  });

  it('drops lines below LOG_LEVEL', () => {
    const lines: string[] = [];
    const logger = createLogger({ service: 'x', level: 'warn', destination: { write: (l: string) => void lines.push(l) } });
    new NestPinoLogger(logger).log('hidden');
    new NestPinoLogger(logger).warn('shown');
    expect(lines).toHaveLength(1);
  });

  it("receives Nest's own Logger calls once installed", () => {
    const { nest, parsed } = capture();
    Logger.overrideLogger(nest);
    new Logger('Readiness').warn('not joined');
    Logger.overrideLogger(false);
    expect(parsed()[0]).toMatchObject({ msg: 'not joined', context: 'Readiness', level: 'warn' });
  });
});
