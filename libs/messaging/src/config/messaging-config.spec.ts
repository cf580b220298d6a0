import { logLevel } from 'kafkajs';
import { toKafkaJsConfig } from './kafka-factory';
import { loadMessagingConfig, MessagingConfigError } from './messaging-config';

describe('messaging configuration', () => {
  it('names KAFKA_BROKERS when it is not set', () => {
    expect(() => loadMessagingConfig({})).toThrow(/KAFKA_BROKERS is not set/);
  });

  it('rejects a broker without a port and names KAFKA_BROKERS', () => {
    expect(() => loadMessagingConfig({ KAFKA_BROKERS: 'kafka-0' })).toThrow(/KAFKA_BROKERS each broker must be host:port/);
  });

  it('requires SASL credentials once a mechanism is chosen, naming each missing variable', () => {
    const error = captureError(() => loadMessagingConfig(env({ KAFKA_SASL_MECHANISM: 'scram-sha-512' })));
    expect(error.issues.map((i) => i.variable)).toEqual(['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']);
  });

  it('reports every bad variable at once, so an operator fixes a manifest in one pass', () => {
    const error = captureError(() =>
      loadMessagingConfig({ KAFKA_SSL: 'maybe', RELAY_BATCH_SIZE: '-5', KAFKA_SASL_MECHANISM: 'kerberos' }),
    );
    expect(error.issues.map((i) => i.variable).sort()).toEqual([
      'KAFKA_BROKERS',
      'KAFKA_SASL_MECHANISM',
      'KAFKA_SSL',
      'RELAY_BATCH_SIZE',
    ]);
  });

  it('treats an empty variable as unset rather than invalid', () => {
    const config = loadMessagingConfig(env({ KAFKA_SASL_MECHANISM: '', RELAY_ENABLED: ' ' }));
    expect(config.kafka.sasl).toBeUndefined();
    expect(config.relay.enabled).toBe(false);
  });

  it('splits a comma-separated broker list and fills the documented defaults', () => {
    const config = loadMessagingConfig({ KAFKA_BROKERS: ' a:9092, b:9093 ,' }, { clientId: 'classifier' });
    expect(config).toEqual({
      kafka: {
        brokers: ['a:9092', 'b:9093'],
        clientId: 'classifier',
        ssl: undefined,
        sasl: undefined,
        connectionTimeoutMs: 3_000,
        requestTimeoutMs: 30_000,
        retry: { initialRetryTimeMs: 300, maxRetryTimeMs: 30_000, retries: 8 },
        logLevel: 'warn',
      },
      deadLetterTopic: 'incidents.dead-letter.v1',
      relay: { enabled: false, name: 'relay', batchSize: 1_000, pollIntervalMs: 200, sendTimeoutMs: 120_000 },
      consumer: { maxAttempts: 3, retryBackoffMs: 200, maxBatchSize: 500, partitionsConsumedConcurrently: 1 },
    });
  });

  it('lets KAFKA_CLIENT_ID override the name a service passes as its default', () => {
    expect(loadMessagingConfig(env({ KAFKA_CLIENT_ID: 'ingest-7' }), { clientId: 'ingest' }).kafka.clientId).toBe('ingest-7');
  });

  it('turns SSL and SASL variables into the kafkajs client settings', () => {
    const config = loadMessagingConfig(
      env({
        KAFKA_SSL: 'true',
        KAFKA_SSL_REJECT_UNAUTHORIZED: 'false',
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'svc',
        KAFKA_SASL_PASSWORD: 's3cret',
        KAFKA_LOG_LEVEL: 'error',
      }),
    );
    expect(toKafkaJsConfig(config.kafka)).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      ssl: { rejectUnauthorized: false },
      sasl: { mechanism: 'plain', username: 'svc', password: 's3cret' },
      logLevel: logLevel.ERROR,
    });
  });
});

function env(overrides: Record<string, string>): Record<string, string> {
  return { KAFKA_BROKERS: '127.0.0.1:9092', ...overrides };
}

function captureError(fn: () => unknown): MessagingConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MessagingConfigError) return error;
    throw error;
  }
  throw new Error('expected a MessagingConfigError');
}
