import { ConfigError } from '@incident/service-runtime';
import { loadIngestConfig, topicsToEnsure } from './ingest-config';

const env = { KAFKA_BROKERS: '127.0.0.1:9092' };

describe('ingest configuration', () => {
  it('limits each source to 2,000 signals/s with bursts of 10,000 unless told otherwise', () => {
    expect(loadIngestConfig(env).rateLimit).toEqual({
      ratePerSecond: 2_000,
      burst: 10_000,
      maxSources: 10_000,
    });
    expect(
      loadIngestConfig({
        ...env,
        SIGNAL_RATE_PER_SECOND: '50',
        SIGNAL_RATE_BURST: '200',
      }).rateLimit,
    ).toMatchObject({ ratePerSecond: 50, burst: 200 });
  });

  it('runs the relay in ingest unless RELAY_ENABLED=false', () => {
    expect(loadIngestConfig(env).messaging.relay.enabled).toBe(true);
    expect(
      loadIngestConfig({ ...env, RELAY_ENABLED: '' }).messaging.relay.enabled,
    ).toBe(true);
    expect(
      loadIngestConfig({ ...env, RELAY_ENABLED: 'false' }).messaging.relay
        .enabled,
    ).toBe(false);
  });

  it('forwards the remediation API to http://127.0.0.1:8083 with a 10 s timeout unless told otherwise', () => {
    expect(loadIngestConfig(env).remediation).toEqual({
      url: 'http://127.0.0.1:8083',
      timeoutMs: 10_000,
    });
    expect(
      loadIngestConfig({
        ...env,
        REMEDIATION_URL: 'http://remediation:8083/',
        REMEDIATION_TIMEOUT_MS: '2500',
      }).remediation,
    ).toEqual({ url: 'http://remediation:8083', timeoutMs: 2_500 });
  });

  it('refuses a remediation URL that is not an http(s) base URL, and a timeout that is not a positive number of ms', () => {
    const problems = (vars: Record<string, string>) => {
      try {
        loadIngestConfig({ ...env, ...vars });
        return '';
      } catch (e) {
        return (e as ConfigError).problems.join('\n');
      }
    };
    expect(problems({ REMEDIATION_URL: 'remediation:8083' })).toMatch(
      /REMEDIATION_URL: must be an http\(s\) URL/,
    );
    expect(problems({ REMEDIATION_URL: 'ftp://remediation' })).toMatch(
      /REMEDIATION_URL: must be an http\(s\) URL/,
    );
    expect(
      problems({ REMEDIATION_URL: 'http://remediation:8083/?x=1' }),
    ).toMatch(/REMEDIATION_URL: must be a base URL/);
    expect(problems({ REMEDIATION_TIMEOUT_MS: '0' })).toMatch(
      /REMEDIATION_TIMEOUT_MS: /,
    );
    expect(problems({ REMEDIATION_TIMEOUT_MS: 'soon' })).toMatch(
      /REMEDIATION_TIMEOUT_MS: /,
    );
  });

  it('names every bad variable, its own and messaging’s, at once', () => {
    let error: unknown;
    try {
      loadIngestConfig({
        SIGNAL_RATE_BURST: '-1',
        INTAKE_GROUP_ID: 'has space',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/SIGNAL_RATE_BURST: /);
    expect(problems).toMatch(/INTAKE_GROUP_ID: /);
    expect(problems).toMatch(/KAFKA_BROKERS: is not set/);
  });

  it('creates the topics it reads and writes, plus the dead-letter topic', () => {
    expect(
      topicsToEnsure(loadIngestConfig(env))
        .map((t) => t.name)
        .sort(),
    ).toEqual([
      'incidents.classifications.v1',
      'incidents.dead-letter.v1',
      'incidents.incidents.v1',
      'incidents.signals.intake.v1',
      'incidents.signals.v1',
      'incidents.traffic.v1',
    ]);
  });
});
