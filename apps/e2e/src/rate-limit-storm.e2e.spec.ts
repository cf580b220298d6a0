import { api, eventually, incidentState, incidentsOf, sendSignals, uniqueSource } from './support/stack';

// Issue 3 acceptance: a storm of 429s from one source becomes exactly one rate_limit incident
// whose severity follows the error rate; a resent batch changes nothing; the state `?at=` a
// moment before the escalation shows the earlier severity.
describe('a storm of 429s from one source', () => {
  const source = uniqueSource('storm');
  const STORM = 2_000;
  const signals = Array.from({ length: STORM }, (_, i) => ({
    id: `${source}-${i}`,
    source,
    component: 'agent:code-review',
    level: 'ERROR',
    message: 'Rate limit exceeded',
    errorCode: 429,
    userId: `user-${i % 40}`,
  }));
  let incidentId: string;

  it('becomes exactly one rate_limit incident with every signal counted', async () => {
    await traffic(source, 100, 10); // 10% of calls failing: above the 5% line
    for (let i = 0; i < STORM; i += 500) await sendSignals(signals.slice(i, i + 500));
    const [incident] = await eventually(async () => {
      const found = await incidentsOf(source);
      return found.length > 0 && found[0].signalCount === STORM ? found : undefined;
    }, 90_000, `${STORM} signals counted on the incident`);
    expect(await incidentsOf(source)).toHaveLength(1);
    expect(incident).toMatchObject({ type: 'rate_limit', severity: 'SEV-3', status: 'open' });
    incidentId = incident.id;
  });

  it('raises the severity as the error rate passes 50% and then 90%', async () => {
    await traffic(source, 100, 68);
    await eventually(async () => ((await incidentState(incidentId)).body.severity === 'SEV-2' ? true : undefined), 30_000, 'SEV-2');
    await traffic(source, 100, 95);
    const state = await eventually(async () => {
      const s = (await incidentState(incidentId)).body;
      return s.severity === 'SEV-1' ? s : undefined;
    }, 30_000, 'SEV-1');
    expect(state.impact).toMatchObject({ signalCount: STORM, affectedUsers: 40, errorRate: 0.95 });
  });

  it('shows, as of a moment before the first escalation, the earlier severity', async () => {
    const history = await api<{ events: { type: string; recordedAt: string; version: number }[] }>('GET', `/v1/incidents/${incidentId}/events?limit=5000`);
    if (history.status !== 200) throw new Error(`GET events: ${history.status} ${JSON.stringify(history.body)}`);
    const escalation = history.body.events.find((e) => e.type === 'SeverityChanged');
    if (!escalation) throw new Error('no SeverityChanged event recorded');
    const before = new Date(Date.parse(escalation.recordedAt) - 1).toISOString();
    expect((await incidentState(incidentId, `?at=${encodeURIComponent(before)}`)).body.severity).toBe('SEV-3');
    expect((await incidentState(incidentId, `?version=${escalation.version - 1}`)).body.severity).toBe('SEV-3');
  });

  it('counts nothing again when the whole storm is sent again', async () => {
    const versionBefore = (await incidentState(incidentId)).body.version;
    let duplicates = 0;
    for (let i = 0; i < STORM; i += 500) duplicates += (await sendSignals(signals.slice(i, i + 500))).duplicates;
    expect(duplicates).toBe(STORM);
    await new Promise((r) => setTimeout(r, 3_000)); // time for anything wrongly emitted to arrive
    // Other services may still act on the incident meanwhile (remediation escalates an
    // unacknowledged SEV-1): the rule is that no signal is attached twice and no incident opens.
    const after = await api<{ events: { type: string }[] }>('GET', `/v1/incidents/${incidentId}/events?fromVersion=${versionBefore + 1}&limit=5000`);
    expect(after.status).toBe(200);
    expect(after.body.events.filter((e) => e.type === 'SignalAttached' || e.type === 'IncidentOpened')).toEqual([]);
    expect((await incidentState(incidentId)).body.impact.signalCount).toBe(STORM);
    expect(await incidentsOf(source)).toHaveLength(1);
  });
});

async function traffic(source: string, requests: number, errors: number): Promise<void> {
  const end = new Date();
  const res = await api('POST', '/v1/traffic', {
    json: { source, windowStart: new Date(end.getTime() - 60_000).toISOString(), windowEnd: end.toISOString(), requests, errors },
  });
  if (res.status !== 202) throw new Error(`POST /v1/traffic: ${res.status} ${JSON.stringify(res.body)}`);
}
