import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { Kafka } from 'kafkajs';
import { loadMessagingConfig } from '../config/messaging-config';
import { KAFKA, MessagingModule, MessagingRuntime } from './messaging.module';

// Wiring only: building the module opens no connection (kafkajs connects on first use and the
// runtime starts nothing before application bootstrap), so these need neither Kafka nor Postgres.
describe('MessagingModule', () => {
  it('provides the one Kafka client built from the validated configuration', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [MessagingModule.forRoot({ config: config() })] }).compile();
    expect(moduleRef.get(KAFKA)).toBeInstanceOf(Kafka);
    expect(moduleRef.get(MessagingRuntime).relayStatus()).toBeUndefined();
  });

  it('resolves options from a factory in forRootAsync', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [MessagingModule.forRootAsync({ useFactory: async () => ({ config: config() }) })],
    }).compile();
    expect(moduleRef.get(KAFKA)).toBeInstanceOf(Kafka);
  });

  it('refuses to boot with RELAY_ENABLED but no event store to relay from', async () => {
    const build = Test.createTestingModule({
      imports: [MessagingModule.forRoot({ config: config({ RELAY_ENABLED: 'true' }) })],
    }).compile();
    await expect(build).rejects.toThrow(/RELAY_ENABLED is true but MessagingModule was given no relay dependencies/);
  });
});

function config(overrides: Record<string, string> = {}) {
  return loadMessagingConfig({ KAFKA_BROKERS: '127.0.0.1:9092', ...overrides }, { clientId: 'spec' });
}
