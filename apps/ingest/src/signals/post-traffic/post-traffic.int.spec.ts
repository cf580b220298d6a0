import { Streams, TRAFFIC_SAMPLED } from '@incident/contracts';
import type { TrafficAnswer } from '../recording/answer';
import {
  type IngestUnderTest,
  problemOf,
  startIngest,
} from '../../testing/ingest-app';
import { uniqueName } from '../../testing/infra';

describe('POST /v1/traffic (real PostgreSQL)', () => {
  let ingest: IngestUnderTest;

  beforeAll(async () => {
    ingest = await startIngest();
  });

  afterAll(async () => {
    await ingest?.close();
  });

  it("appends each sample as TrafficSampled to its source's stream, and a resent sample once", async () => {
    const source = uniqueName('api');
    const samples = [
      sample(source, '10:00', 100, 3),
      sample(source, '10:01', 120, 60),
    ];
    const res = await ingest.post('/v1/traffic', samples);
    expect(res.status).toBe(202);
    expect(await (res.json() as Promise<TrafficAnswer>)).toMatchObject({
      accepted: 2,
      duplicates: 0,
    });
    const again = (await (
      await ingest.post('/v1/traffic', samples[1])
    ).json()) as TrafficAnswer;
    expect(again).toMatchObject({ accepted: 0, duplicates: 1 });

    const events = await ingest.scratch.store.readStream(
      Streams.source(source),
    );
    expect(events.map((e) => [e.type, e.payload['errors']])).toEqual([
      [TRAFFIC_SAMPLED, 3],
      [TRAFFIC_SAMPLED, 60],
    ]);
  });

  it('answers 400 naming the index and field of a bad sample, and stores none of the batch', async () => {
    const source = uniqueName('api');
    const before = await ingest.count(TRAFFIC_SAMPLED);
    const res = await ingest.post('/v1/traffic', [
      sample(source, '10:00', 100, 3),
      sample(source, '10:01', 10, 11),
    ]);
    expect(res.status).toBe(400);
    expect(await problemOf(res)).toMatchObject({
      error: 'invalid_traffic',
      issues: [{ at: '[1].errors' }],
    });
    expect(await ingest.count(TRAFFIC_SAMPLED)).toBe(before);
  });
});

function sample(
  source: string,
  minute: string,
  requests: number,
  errors: number,
) {
  const start = new Date(`2026-01-01T${minute}:00Z`);
  return {
    source,
    windowStart: start.toISOString(),
    windowEnd: new Date(start.getTime() + 60_000).toISOString(),
    requests,
    errors,
  };
}
