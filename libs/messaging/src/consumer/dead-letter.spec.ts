import { buildDeadLetterMessage, type DeadLetterInput } from './dead-letter';

describe('building a dead letter', () => {
  it('names the original topic, partition, offset, consumer group and reason in headers', () => {
    const letter = buildDeadLetterMessage(input({ reason: 'unparseable: invalid JSON' }));
    expect(letter.headers).toMatchObject({
      'dlq-original-topic': 'incidents.signals.v1',
      'dlq-original-partition': '3',
      'dlq-original-offset': '42',
      'dlq-consumer-group': 'classifier',
      'dlq-reason': 'unparseable: invalid JSON',
      'dlq-attempts': '0',
      'dlq-failed-at': '2024-05-01T10:00:00.000Z',
    });
  });

  it('keeps key, value and original headers so the message can be replayed as it was', () => {
    const letter = buildDeadLetterMessage(input());
    expect(letter.key).toBe('incident-1');
    expect(letter.value).toEqual(Buffer.from('{oops'));
    expect(letter.headers?.['event-id']).toBe('e-1');
  });

  it('shortens a huge reason so the dead letter itself stays under the broker size limit', () => {
    const letter = buildDeadLetterMessage(input({ reason: 'x'.repeat(50_000) }));
    expect(String(letter.headers?.['dlq-reason']).length).toBe(1_000);
  });
});

function input(overrides: Partial<DeadLetterInput> = {}): DeadLetterInput {
  return {
    topic: 'incidents.signals.v1',
    partition: 3,
    offset: '42',
    groupId: 'classifier',
    reason: 'boom',
    attempts: 0,
    failedAt: new Date('2024-05-01T10:00:00.000Z'),
    message: { key: 'incident-1', value: Buffer.from('{oops'), headers: { 'event-id': 'e-1' } },
    ...overrides,
  };
}
