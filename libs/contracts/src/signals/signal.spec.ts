import { SignalSchema, TrafficSampleSchema } from './signal';

describe('SignalSchema', () => {
  it('accepts the minimal signal: a source and a message', () => {
    expect(SignalSchema.parse({ source: 'api-gateway', message: 'boom' })).toEqual({
      source: 'api-gateway',
      message: 'boom',
    });
  });

  it('names each missing required field by path', () => {
    const result = SignalSchema.safeParse({ component: 'x' });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['message', 'source']);
  });

  it('rejects unknown fields so that a typo is not silently dropped', () => {
    const result = SignalSchema.safeParse({ source: 's', message: 'm', leve: 'ERROR' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].code).toBe('unrecognized_keys');
  });

  it('rejects a level outside the playbook log levels', () => {
    const result = SignalSchema.safeParse({ source: 's', message: 'm', level: 'CRITICAL' });
    expect(result.error?.issues[0].path).toEqual(['level']);
  });

  it('rejects a timestamp that is not ISO-8601 with an offset', () => {
    const result = SignalSchema.safeParse({ source: 's', message: 'm', timestamp: '27/11/2026' });
    expect(result.error?.issues[0].path).toEqual(['timestamp']);
  });

  it('accepts numeric and symbolic error codes (429, ECONNREFUSED)', () => {
    expect(SignalSchema.safeParse({ source: 's', message: 'm', errorCode: 429 }).success).toBe(true);
    expect(SignalSchema.safeParse({ source: 's', message: 'm', errorCode: 'ECONNREFUSED' }).success).toBe(true);
  });

  it('bounds the message length', () => {
    const result = SignalSchema.safeParse({ source: 's', message: 'x'.repeat(8_193) });
    expect(result.error?.issues[0].path).toEqual(['message']);
  });
});

describe('TrafficSampleSchema', () => {
  const sample = {
    source: 'api',
    windowStart: '2026-11-27T10:00:00Z',
    windowEnd: '2026-11-27T10:01:00Z',
    requests: 100,
    errors: 7,
  };

  it('accepts a window with errors within requests', () => {
    expect(TrafficSampleSchema.safeParse(sample).success).toBe(true);
  });

  it('rejects more errors than requests, naming the errors field', () => {
    const result = TrafficSampleSchema.safeParse({ ...sample, errors: 101 });
    expect(result.error?.issues[0].path).toEqual(['errors']);
  });

  it('rejects a window that ends before it starts', () => {
    const result = TrafficSampleSchema.safeParse({ ...sample, windowEnd: '2026-11-27T09:00:00Z' });
    expect(result.error?.issues[0].path).toEqual(['windowEnd']);
  });
});
