import { signalIdOf, signalReceivedEventId } from './signal-id';

describe('signal id', () => {
  it("is the publisher's id when the signal carries one", () => {
    expect(
      signalIdOf('http-json', { id: 'pub-42', source: 'api', message: 'boom' }),
    ).toBe('pub-42');
  });

  it('is derived from the content when there is no id, so an identical resend gets the same id', () => {
    const first = signalIdOf('http-json', {
      source: 'api',
      message: 'boom',
      level: 'ERROR',
    });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(
      signalIdOf('http-json', {
        source: 'api',
        message: 'boom',
        level: 'ERROR',
      }),
    ).toBe(first);
  });

  it('does not depend on the order of the fields (canonical JSON)', () => {
    const a = signalIdOf('http-json', {
      source: 'api',
      message: 'boom',
      attributes: { x: 1, y: 2 },
    });
    const b = signalIdOf('http-json', {
      attributes: { y: 2, x: 1 },
      message: 'boom',
      source: 'api',
    });
    expect(a).toBe(b);
  });

  it('differs when any field or the channel differs', () => {
    const base = signalIdOf('http-json', { source: 'api', message: 'boom' });
    expect(
      signalIdOf('http-json', { source: 'api', message: 'boom!' }),
    ).not.toBe(base);
    expect(
      signalIdOf('http-json', {
        source: 'api',
        message: 'boom',
        timestamp: '2025-12-24T14:35:22Z',
      }),
    ).not.toBe(base);
    expect(
      signalIdOf('kafka-intake', { source: 'api', message: 'boom' }),
    ).not.toBe(base);
  });

  it('gives SignalReceived a deterministic event id from the signal id', () => {
    expect(signalReceivedEventId('pub-42')).toBe(
      signalReceivedEventId('pub-42'),
    );
    expect(signalReceivedEventId('pub-42')).not.toBe(
      signalReceivedEventId('pub-43'),
    );
  });
});
