import { createScratchEventStore, type ScratchEventStore } from '@incident/testing';
import { POLICY_V1 } from '@incident/incident-domain';
import { recordTraffic } from '../int-support/correlation-fixture';
import { FoldedStreams } from './folded-streams';

// Real PostgreSQL (a scratch schema): the caches are bounded however many sources the service
// meets, and a state pushed out of a cache is read again from the log, never lost.
describe('folded stream caches', () => {
  let log: ScratchEventStore;

  beforeAll(async () => {
    log = await createScratchEventStore();
  });

  afterAll(async () => {
    await log?.dispose();
  });

  it('hold at most their limit of states however many sources are seen, and read an evicted one again from the log', async () => {
    const streams = new FoldedStreams(log.store, log.dataSource, log.schema, POLICY_V1, { correlations: 3, incidents: 3, sources: 3 });
    const at = Date.parse('2026-11-27T10:00:00Z');
    const sources = Array.from({ length: 20 }, (_, i) => `bounded-${i}`);
    for (const [i, source] of sources.entries()) {
      await recordTraffic(log, { source, windowStart: new Date(at).toISOString(), windowEnd: new Date(at + 60_000).toISOString(), requests: 100, errors: i });
    }
    for (const source of sources) await streams.latestTraffic(source);
    expect(streams.cached().sources).toBe(3);

    // bounded-0 was evicted long ago: its sample comes back from the log, as recorded.
    expect(await streams.latestTraffic('bounded-0')).toMatchObject({ requests: 100, errors: 0 });
    expect(await streams.latestTraffic('bounded-19')).toMatchObject({ requests: 100, errors: 19 });
    expect(streams.cached().sources).toBe(3);
  });
});
