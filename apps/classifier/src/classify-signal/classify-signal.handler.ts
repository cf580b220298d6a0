import { CURRENT_RULE_SET, type RuleSet } from '@incident/classification';
import { SIGNAL_RECEIVED } from '@incident/contracts';
import type { EventStore, NewEvent, StreamAppend } from '@incident/event-store';
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
 * A consumer batch is one appendMany: per fingerprint stream, its decisions in partition order.
 */
export function classifySignalHandler(deps: ClassifySignalDeps): MessageHandler<SignalsMessage> {
  const ruleSet = deps.ruleSet ?? CURRENT_RULE_SET;
  return defineHandler({
    topic: deps.topic,
    schema: SignalsMessageSchema,
    messageId: (message) => message.envelope.id,
    // TrafficSampled has its own topic now (incidents.traffic.v1); samples an older relay put on
    // this one are correlation's business, passed by unread.
    handles: (type) => type === SIGNAL_RECEIVED,
    async handleBatch(messages, { manager }) {
      const byStream = new Map<string, NewEvent[]>();
      const types: string[] = [];
      for (const { value } of messages) {
        if (value.kind !== 'signal-received') continue;
        const { streamId, event, payload } = toSignalClassified(value, ruleSet);
        const events = byStream.get(streamId) ?? [];
        events.push(event);
        byStream.set(streamId, events);
        types.push(payload.classification.type);
      }
      const appends: StreamAppend[] = [...byStream].map(([streamId, events]) => ({ streamId, events, expectedVersion: 'any' }));
      await deps.store.appendMany(appends, { manager });
      for (const type of types) deps.onClassified?.(type);
    },
    async handle(message, { manager }) {
      if (message.kind !== 'signal-received') return;
      const { streamId, event, payload } = toSignalClassified(message, ruleSet);
      await deps.store.append(streamId, [event], { expectedVersion: 'any', manager });
      deps.onClassified?.(payload.classification.type);
    },
  });
}
