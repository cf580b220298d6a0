import { EventEmitter } from 'node:events';
import { createLogger } from '../logging/logger';
import { stopOnSignals } from './stop-on-signals';

const SIGNAL = 'SIGTERM';
const quiet = createLogger({ service: 'test', level: 'silent' });
// Signals come from an emitter of the test's own, not from the process jest runs in.
const signals = new EventEmitter();

function run(close: () => Promise<void>, timeoutMs = 1_000) {
  const order: string[] = [];
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => (resolveExit = r));
  const off = stopOnSignals({
    logger: quiet,
    timeoutMs,
    signals: [SIGNAL],
    source: signals,
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
    signals.emit(SIGNAL, SIGNAL);
    expect(await exited).toBe(0);
    expect(order).toEqual(['drain', 'close', 'flush']);
    off();
  });

  it('exits 1 when closing takes longer than SHUTDOWN_TIMEOUT_MS', async () => {
    const { exited, off } = run(() => new Promise(() => undefined), 50);
    signals.emit(SIGNAL, SIGNAL);
    expect(await exited).toBe(1);
    off();
  });

  it('exits 1 when closing fails, and stops once however many signals arrive', async () => {
    let closes = 0;
    const { exited, off } = run(async () => {
      closes += 1;
      throw new Error('pool gone');
    });
    signals.emit(SIGNAL, SIGNAL);
    signals.emit(SIGNAL, SIGNAL);
    expect(await exited).toBe(1);
    expect(closes).toBe(1);
    off();
  });
});
