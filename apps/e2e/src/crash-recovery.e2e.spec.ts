import { killHard, type Restarted, restart } from './support/processes';
import { eventually, incidentsOf, sendSignals, stack, uniqueSource } from './support/stack';

// Issue 3 acceptance: kill -9 the classifier or the correlation service while signals flow,
// start it again: every acknowledged signal is counted exactly once, no incident duplicated.
describe('a consumer killed with SIGKILL while signals flow', () => {
  const restarted: Restarted[] = [];
  afterAll(async () => {
    for (const r of restarted) await r.stop();
  });

  it.each(['classifier', 'correlation'])('loses and duplicates nothing when %s is killed and restarted', async (service) => {
    const source = uniqueSource(`crash-${service}`);
    const total = 1_500;
    const signals = Array.from({ length: total }, (_, i) => ({
      id: `${source}-${i}`, source, component: 'agent:planner', level: 'ERROR', message: 'Error: Agent execution timed out after 300000ms',
    }));
    let acknowledged = 0;
    const pid = currentPid(service);
    for (let i = 0; i < total; i += 100) {
      acknowledged += (await sendSignals(signals.slice(i, i + 100))).accepted;
      if (i === 500) await killHard(pid);
    }
    restarted.push(await restart(service));
    setCurrentPid(service, restarted[restarted.length - 1].child.pid as number);
    const incidents = await eventually(async () => {
      const found = await incidentsOf(source, 'timeout');
      return found[0]?.signalCount === acknowledged ? found : undefined;
    }, 120_000, `${acknowledged} signals counted after the restart`);
    expect(acknowledged).toBe(total);
    expect(incidents).toHaveLength(1);
  });
});

const pids: Record<string, number> = {};
function currentPid(service: string): number {
  return pids[service] ?? stack().pids[service];
}
function setCurrentPid(service: string, pid: number): void {
  pids[service] = pid;
}
