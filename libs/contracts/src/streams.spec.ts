import { deterministicUuid, Streams } from './streams';

describe('deterministicUuid', () => {
  it('gives the same id for the same namespace and name, so a retried append is stored once', () => {
    expect(deterministicUuid('signal', 'abc')).toBe(deterministicUuid('signal', 'abc'));
  });

  it('gives different ids for different names or namespaces', () => {
    expect(deterministicUuid('signal', 'abc')).not.toBe(deterministicUuid('signal', 'abd'));
    expect(deterministicUuid('signal', 'abc')).not.toBe(deterministicUuid('classified', 'abc'));
  });

  it('is a well-formed version 5 UUID', () => {
    expect(deterministicUuid('n', 'x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('Streams', () => {
  it('keeps signal stream ids a fixed size whatever the publisher id', () => {
    expect(Streams.signal('x'.repeat(200))).toHaveLength('signal-'.length + 32);
  });
});
