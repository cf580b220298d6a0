import { DeadlineExceeded, withDeadline } from './deadline';

describe('withDeadline', () => {
  it('settles with the work when the work settles first', async () => {
    await expect(withDeadline(Promise.resolve(7), 1_000, 'send')).resolves.toBe(7);
    await expect(withDeadline(Promise.reject(new Error('refused')), 1_000, 'send')).rejects.toThrow('refused');
  });

  it('rejects with DeadlineExceeded, naming what and how long, when the work never settles', async () => {
    const never = new Promise<void>(() => undefined);
    const outcome = withDeadline(never, 20, 'sendBatch of 3 requests');
    await expect(outcome).rejects.toBeInstanceOf(DeadlineExceeded);
    await expect(outcome).rejects.toThrow('sendBatch of 3 requests did not settle within 20 ms');
  });

  it('leaves no unhandled rejection behind when abandoned work fails later', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      let fail!: (e: Error) => void;
      const late = new Promise<void>((_, reject) => (fail = reject));
      await expect(withDeadline(late, 10, 'send')).rejects.toBeInstanceOf(DeadlineExceeded);
      fail(new Error('broker answered too late'));
      await new Promise((r) => setImmediate(r));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
