import { z } from 'zod';
import { parseMessage } from './parse-message';

describe('parsing a consumed message', () => {
  const schema = z.object({ id: z.uuid(), n: z.number() });
  const id = '5f0c1d1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f';

  it('treats bytes that are not JSON as poison, with the parser error as the reason', () => {
    const parsed = parseMessage(Buffer.from('{oops'), {}, schema);
    expect(parsed).toMatchObject({ ok: false, reason: expect.stringMatching(/^invalid JSON: /) });
  });

  it('treats JSON that breaks the schema as poison and says which field', () => {
    const parsed = parseMessage(Buffer.from(JSON.stringify({ id, n: 'one' })), {}, schema);
    expect(parsed).toMatchObject({ ok: false, reason: expect.stringMatching(/^schema validation failed: n: /) });
  });

  it('de-duplicates by the event-id header first, then by the body id', () => {
    const fromHeader = parseMessage(Buffer.from(JSON.stringify({ id, n: 1 })), { 'event-id': Buffer.from(id.replace('5f', '6f')) }, schema);
    const fromBody = parseMessage(Buffer.from(JSON.stringify({ id, n: 1 })), {}, schema);
    expect(fromHeader).toMatchObject({ ok: true, messageId: id.replace('5f', '6f') });
    expect(fromBody).toMatchObject({ ok: true, messageId: id, value: { id, n: 1 } });
  });

  it('rejects a message whose id is not a UUID, since no claim could ever record it', () => {
    const parsed = parseMessage(Buffer.from(JSON.stringify({ n: 1 })), { 'event-id': 'abc' }, z.object({ n: z.number() }));
    expect(parsed).toMatchObject({ ok: false, reason: 'message id "abc" is not a UUID' });
  });

  it('treats a tombstone (null value) as poison', () => {
    expect(parseMessage(null, {}, schema)).toMatchObject({ ok: false, reason: 'empty message (tombstone)' });
  });
});
