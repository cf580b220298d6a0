import { SIGNAL_CLASSIFIED, SIGNAL_CLASSIFIED_VERSION, SignalClassifiedV2Schema, type SignalClassifiedV2, type EventEnvelope } from '@incident/contracts';
import type { CorrelationDecision } from '@incident/incident-domain';
import { defineHandler, type MessageHandler } from '@incident/messaging';
import type { EntityManager } from 'typeorm';
import type { CorrelationDeps } from '../log/record-decision';
import { type TypedMessage, typedEnvelope } from '../log/typed-envelope';
import { type ClassifiedSignal, correlateSignals } from './correlate-batch';

/** One classified signal: a batch of one (see correlateSignals). */
export async function correlateSignal(tx: EntityManager, deps: CorrelationDeps, envelope: EventEnvelope, p: SignalClassifiedV2): Promise<CorrelationDecision> {
  const [decision] = await correlateSignals(tx, deps, [{ envelope, payload: p }]);
  return decision;
}

/**
 * The consumer of `incidents.classifications.v1` (group `correlation`): a consumer batch is
 * decided in one pass; handle() serves a message retried on its own after its batch failed.
 */
export function correlateSignalHandler(deps: CorrelationDeps, topic: string): MessageHandler<TypedMessage<SignalClassifiedV2>> {
  return defineHandler({
    topic,
    schema: typedEnvelope(SIGNAL_CLASSIFIED, SignalClassifiedV2Schema, SIGNAL_CLASSIFIED_VERSION),
    messageId: (message) => message.envelope.id,
    async handleBatch(messages, { manager }) {
      const signals: ClassifiedSignal[] = [];
      for (const { value } of messages) if (value.kind === 'handled') signals.push({ envelope: value.envelope, payload: value.payload });
      await correlateSignals(manager, deps, signals);
    },
    async handle(message, { manager }) {
      if (message.kind === 'handled') await correlateSignal(manager, deps, message.envelope, message.payload);
    },
  });
}
