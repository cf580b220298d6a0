import { createLogger } from '../logging/logger';
import { stopOnSignals } from './stop-on-signals';

const SIGNAL = 'SIGUSR2';
const quiet = createLogger({ service: 'test', level: 'silent' });

function run(close: () => Promise<void>, timeoutMs = 1_000) {
  const order: string[] = [];
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => (resolveExit = r));
  const off = stopOnSignals({
    logger: quiet,
    timeoutMs,
    signals: [SIGNAL],
    drain: () => order.push('drain'),
    close: async () => {
      order.push('close');
      await close();
    },
    flush: async () => void order.push('flush'),
    exit: (code) => resolveExit(code),
  });
  return { order, exited, off };
}

describe('stopping on a signal', () => {
  it('fails readiness first, then closes, flushes, and exits 0', async () => {
    const { order, exited, off } = run(async () => undefined);
    process.emit(SIGNAL, SIGNAL);
    expect(await exited).toBe(0);
    expect(order).toEqual(['drain', 'close', 'flush']);
    off();
  });

  it('exits 1 when closing takes longer than SHUTDOWN_TIMEOUT_MS', async () => {
    const { exited, off } = run(() => new Promise(() => undefined), 50);
    process.emit(SIGNAL, SIGNAL);
    expect(await exited).toBe(1);
    off();
  });

  it('exits 1 when closing fails, and stops once however many signals arrive', async () => {
    let closes = 0;
    const { exited, off } = run(async () => {
      closes += 1;
      throw new Error('pool gone');
    });
    process.emit(SIGNAL, SIGNAL);
    process.emit(SIGNAL, SIGNAL);
    expect(await exited).toBe(1);
    expect(closes).toBe(1);
    off();
  });
});
