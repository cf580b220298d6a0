// Public surface of @incident/messaging; everything else is internal (STYLE.md 10).
export {
  loadMessagingConfig,
  MessagingConfigError,
  type MessagingConfig,
  type KafkaClientConfig,
  type KafkaLogLevelName,
} from './config/messaging-config';
export { createKafka, ensureTopics, toKafkaJsConfig } from './config/kafka-factory';
export { groupByTopic, routeByType, toEnvelope, toKafkaMessage, type OutgoingMessage, type TopicRouter } from './relay/event-message';
export { Relay, type RelayDependencies, type RelayOptions, type RelayStatus } from './relay/relay';
export { IdempotentConsumer, type IdempotentConsumerOptions, type Outcome } from './consumer/idempotent-consumer';
export { defineHandler, type BatchContext, type ClaimedMessage, type HandlerContext, type MessageHandler } from './consumer/handler';
export { buildDeadLetterMessage, type DeadLetterInput } from './consumer/dead-letter';
export { parseMessage, decodeHeaders, type MessageHeaders, type ParsedMessage } from './consumer/parse-message';
export {
  MessagingModule,
  MessagingRuntime,
  KAFKA,
  MESSAGING_OPTIONS,
  type MessagingModuleOptions,
  type MessagingModuleAsyncOptions,
} from './nest/messaging.module';
export { consoleLogger, type MessagingLogger } from './logger';
