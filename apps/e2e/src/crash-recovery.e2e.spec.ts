import { currentPid, killHard, restart } from './support/processes';
import { eventually, incidentsOf, sendSignals, uniqueSource } from './support/stack';

// Issue 3 acceptance: kill -9 the classifier or the correlation service while signals flow,
// start it again: every acknowledged signal is counted exactly once, no incident duplicated.
// The restarted services keep running for the specs after this one; global teardown stops them.
describe('a consumer killed with SIGKILL while signals flow', () => {
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
    await restart(service);
    const incidents = await eventually(async () => {
      const found = await incidentsOf(source, 'timeout');
      return found[0]?.signalCount === acknowledged ? found : undefined;
    }, 120_000, `${acknowledged} signals counted after the restart`);
    expect(acknowledged).toBe(total);
    expect(incidents).toHaveLength(1);
  });
});
