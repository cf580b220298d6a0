import { countSignalsFrom } from './support/log';
import { api, stack, uniqueSource } from './support/stack';

// Issue 3 acceptance: every bad input gets its status code and stores nothing; missing or
// wrong credentials get 401/403.
describe('the signal endpoints refuse bad input and store nothing of it', () => {
  it('answers 401 without a key and with an unknown key', async () => {
    const none = await api('POST', '/v1/signals', { key: null, json: { source: 's', message: 'm' } });
    const wrong = await api('POST', '/v1/signals', { key: 'ik_not_a_real_key_000000000000', json: { source: 's', message: 'm' } });
    expect([none.status, wrong.status]).toEqual([401, 401]);
  });

  it('answers 403 to a read-only key sending signals', async () => {
    const res = await api('POST', '/v1/signals', { key: stack().readerKey, json: { source: 's', message: 'm' } });
    expect(res.status).toBe(403);
  });

  it('answers 400 naming each bad item of a batch, and stores none of the batch', async () => {
    const source = uniqueSource('bad-batch');
    const res = await api<{ issues: { at: string }[] }>('POST', '/v1/signals', {
      json: [{ source, message: 'fine' }, { source }, { source, message: 'm', level: 'LOUD' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i) => i.at).sort()).toEqual(['[1].message', '[2].level']);
    expect(await countSignalsFrom(source)).toBe(0);
  });

  it('answers 413 to a body over 1 MiB', async () => {
    const source = uniqueSource('too-big');
    const batch = Array.from({ length: 900 }, () => ({ source, message: 'x'.repeat(1_500) }));
    const res = await api('POST', '/v1/signals', { json: batch });
    expect(res.status).toBe(413);
    expect(await countSignalsFrom(source)).toBe(0);
  });

  it('answers 415 to JSON sent as text and to log lines sent as JSON', async () => {
    const json = await api('POST', '/v1/signals', { text: '{"source":"s","message":"m"}', contentType: 'text/plain' });
    const logs = await api('POST', '/v1/signals/logs?source=s', { json: { line: 'x' } });
    expect([json.status, logs.status]).toEqual([415, 415]);
  });

  it('answers 400 to a log body that is not in the playbook format, naming the line', async () => {
    const res = await api<{ issues: { at: string }[] }>('POST', '/v1/signals/logs?source=s', { text: 'not a log line\n' });
    expect(res.status).toBe(400);
    expect(res.body.issues[0].at).toBe('line 1');
  });

  it('answers 400 to an Alertmanager payload of another version', async () => {
    const res = await api('POST', '/v1/signals/alertmanager', { json: { version: '3', alerts: [] } });
    expect(res.status).toBe(400);
  });
});
