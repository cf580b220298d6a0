import { currentPid, restart, terminate } from './support/processes';
import { eventually, incidentsOf, sendSignals, stack, uniqueSource } from './support/stack';
import { serviceLogLines } from './support/telemetry';

// Issue 6 acceptance (lifecycle): SIGTERM a consumer service (correlation) while signals flow.
// It exits 0 within its grace period (SHUTDOWN_TIMEOUT_MS), and once it is back every
// acknowledged signal is counted exactly once: what it had not committed was handed back to the
// group, what it had committed is not applied twice.
describe('a consumer stopped with SIGTERM while signals flow', () => {
  it('exits 0 within SHUTDOWN_TIMEOUT_MS, and loses or double-counts no acknowledged signal', async () => {
    const grace = Number(stack().env['SHUTDOWN_TIMEOUT_MS'] ?? 20_000);
    // Its exit code is only visible to its parent: stop the running one and start one of our own.
    await terminate(currentPid('correlation'));
    const own = await restart('correlation');

    const source = uniqueSource('sigterm-correlation');
    const total = 1_500;
    const signals = Array.from({ length: total }, (_, i) => ({
      id: `${source}-${i}`, source, component: 'agent:planner', level: 'ERROR', message: 'Error: Agent execution timed out after 300000ms',
    }));
    let acknowledged = 0;
    for (let i = 0; i < 800; i += 100) acknowledged += (await sendSignals(signals.slice(i, i + 100))).accepted;
    // Under load: correlation is working on this source when the signal arrives.
    await eventually(async () => ((await incidentsOf(source, 'timeout'))[0]?.signalCount ?? 0) > 0 || undefined, 60_000, 'correlation to start on the signals');
    const signalledAt = Date.now();
    own.child.kill('SIGTERM');
    for (let i = 800; i < total; i += 100) acknowledged += (await sendSignals(signals.slice(i, i + 100))).accepted;
    const exit = await own.exited;
    const tookMs = Date.now() - signalledAt;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(grace);

    // Readiness failed first, then the stop completed (the service's own log lines, in order).
    const mine = serviceLogLines()
      .filter((l) => l.file === 'correlation.restarted.log' && l.line.startsWith('{'))
      .map((l) => JSON.parse(l.line) as { pid: number; msg: string })
      .filter((l) => l.pid === own.child.pid)
      .map((l) => l.msg);
    const draining = mine.findIndex((m) => m.startsWith('SIGTERM: stopping; /readyz now fails'));
    expect(draining).toBeGreaterThanOrEqual(0);
    expect(mine.indexOf('stopped')).toBeGreaterThan(draining);

    await restart('correlation');
    const incidents = await eventually(async () => {
      const found = await incidentsOf(source, 'timeout');
      return found[0]?.signalCount === acknowledged ? found : undefined;
    }, 120_000, `${acknowledged} signals counted after the restart`);
    expect(acknowledged).toBe(total);
    expect(incidents).toHaveLength(1);
    // Counted once: no later redelivery pushes the count past what was acknowledged.
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await incidentsOf(source, 'timeout'))[0].signalCount).toBe(acknowledged);
  });
});
