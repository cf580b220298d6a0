import type { Signal } from '@incident/contracts';
import type { EventStore } from '@incident/event-store';
import {
  defineHandler,
  type HandlerContext,
  type MessageHandler,
} from '@incident/messaging';
import {
  type RecordingContext,
  signalReceived,
  traceContext,
} from '../recording/signal-events';
import { pseudonyms } from '../recording/pseudonyms';
import { signalIdOf, signalReceivedEventId } from '../recording/signal-id';
import { groupByStream } from '../recording/stream-appends';
import { IntakeMessageSchema } from './intake-message';

export const INTAKE_CHANNEL = 'kafka-intake';

/**
 * Appends intake messages' SignalReceived events in the consumer's transaction, which commits
 * before the offsets do: a batch of messages as one appendMany, a message retried on its own as
 * one append. The consumer's processed-message claim and the log both key on the same
 * deterministic event id, so a redelivered message, or a signal already sent over HTTP with the
 * same id, stores nothing new.
 */
export function intakeHandler(
  topic: string,
  store: EventStore,
  now: () => Date = () => new Date(),
): MessageHandler<Signal> {
  return defineHandler({
    topic,
    schema: IntakeMessageSchema,
    // The claim's key only (never stored in the log): the message as sent, userId included.
    messageId: (signal) =>
      signalReceivedEventId(signalIdOf(INTAKE_CHANNEL, signal)),
    async handleBatch(messages, context) {
      const userRef = await pseudonyms(context.manager.connection, messages.map((m) => m.value), { manager: context.manager });
      const planned = messages.map(({ value, offset, headers }) =>
        signalReceived(
          value,
          INTAKE_CHANNEL,
          intakeContext({ ...context, offset, headers }, now()),
          userRef(value),
        ),
      );
      await store.appendMany(groupByStream(planned).appends, {
        manager: context.manager,
      });
    },
    async handle(signal, context) {
      const userRef = await pseudonyms(context.manager.connection, [signal], { manager: context.manager });
      const planned = signalReceived(
        signal,
        INTAKE_CHANNEL,
        intakeContext(context, now()),
        userRef(signal),
      );
      await store.append(planned.streamId, [planned.event], {
        expectedVersion: planned.expectedVersion,
        manager: context.manager,
      });
    },
  });
}

/** Intake messages are unauthenticated at this layer (Kafka ACLs guard the topic): the actor is the channel. */
export function intakeContext(
  context: Pick<HandlerContext, 'topic' | 'partition' | 'offset' | 'headers'>,
  receivedAt: Date,
): RecordingContext {
  const { topic, partition, offset, headers } = context;
  const given = headers['correlation-id'];
  const correlationId =
    given && given.length <= 128 ? given : `${topic}/${partition}/${offset}`;
  return {
    receivedAt,
    actor: INTAKE_CHANNEL,
    correlationId,
    ...traceContext(headers['traceparent'], headers['tracestate']),
  };
}
