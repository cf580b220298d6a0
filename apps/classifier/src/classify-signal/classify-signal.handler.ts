import { CURRENT_RULE_SET, type RuleSet } from '@incident/classification';
import type { EventStore } from '@incident/event-store';
import { defineHandler, type MessageHandler } from '@incident/messaging';
import { type SignalsMessage, SignalsMessageSchema } from './signals-message';
import { toSignalClassified } from './signal-classified';

export interface ClassifySignalDeps {
  store: EventStore;
  /** Topics.signals in production; tests use a topic of their own. */
  topic: string;
  ruleSet?: RuleSet;
  /** Called per decision (for metrics); the transaction may still roll back after it. */
  onClassified?: (type: string) => void;
}

/**
 * SignalReceived -> SignalClassified, appended in the consumer's transaction, so the decision
 * and the processed-message record commit together. 'any' version: the classification stream
 * is a per-fingerprint log of independent decisions, not an aggregate with invariants.
 */
export function classifySignalHandler(deps: ClassifySignalDeps): MessageHandler<SignalsMessage> {
  const ruleSet = deps.ruleSet ?? CURRENT_RULE_SET;
  return defineHandler({
    topic: deps.topic,
    schema: SignalsMessageSchema,
    messageId: (message) => message.envelope.id,
    async handle(message, { manager }) {
      if (message.kind !== 'signal-received') return;
      const { streamId, event, payload } = toSignalClassified(message, ruleSet);
      await deps.store.append(streamId, [event], { expectedVersion: 'any', manager });
      deps.onClassified?.(payload.classification.type);
    },
  });
}
