import {
  answerOf,
  type IngestUnderTest,
  problemOf,
  startIngest,
} from '../../testing/ingest-app';
import { uniqueName } from '../../testing/infra';

describe('POST /v1/signals/alertmanager (real PostgreSQL)', () => {
  let ingest: IngestUnderTest;

  beforeAll(async () => {
    ingest = await startIngest();
  });

  afterAll(async () => {
    await ingest?.close();
  });

  it('stores a firing and then a resolved alert as two signals, and a re-sent notification as duplicates', async () => {
    const fingerprint = uniqueName('fp');
    const firing = webhook('firing', fingerprint, '0001-01-01T00:00:00Z');
    const first = await answerOf(
      await ingest.post('/v1/signals/alertmanager', firing),
    );
    expect(first).toEqual({
      accepted: 1,
      duplicates: 0,
      signals: [
        {
          signalId: `alertmanager:${fingerprint}:2026-01-01T10:00:00Z:firing`,
          duplicate: false,
        },
      ],
    });
    expect(
      (await answerOf(await ingest.post('/v1/signals/alertmanager', firing)))
        .duplicates,
    ).toBe(1);

    const resolved = webhook('resolved', fingerprint, '2026-01-01T10:30:00Z');
    expect(
      await answerOf(await ingest.post('/v1/signals/alertmanager', resolved)),
    ).toMatchObject({ accepted: 1, duplicates: 0 });
  });

  it('answers 400 naming the alert and field that is wrong', async () => {
    const bad = webhook('firing', uniqueName('fp'), '0001-01-01T00:00:00Z');
    (bad.alerts[0] as Record<string, unknown>)['startsAt'] = 'yesterday';
    const res = await ingest.post('/v1/signals/alertmanager', bad);
    expect(res.status).toBe(400);
    expect((await problemOf(res)).issues?.map((i) => i.at)).toEqual([
      'alerts[0].startsAt',
    ]);
  });
});

function webhook(
  status: 'firing' | 'resolved',
  fingerprint: string,
  endsAt: string,
) {
  return {
    version: '4',
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
    status,
    receiver: 'incident-platform',
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: [
      {
        status,
        labels: {
          alertname: 'HighErrorRate',
          service: 'checkout',
          severity: 'critical',
        },
        annotations: { summary: 'checkout 5xx above 50%' },
        startsAt: '2026-01-01T10:00:00Z',
        endsAt,
        generatorURL: 'http://prometheus:9090/graph',
        fingerprint,
      },
    ],
  };
}
