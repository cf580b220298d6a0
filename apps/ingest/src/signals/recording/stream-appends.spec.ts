import type { NewEvent } from '@incident/event-store';
import type { PlannedAppend } from './signal-events';
import { groupByStream } from './stream-appends';

describe('a request as one multi-stream append', () => {
  it('gives every signal stream its own entry, in request order', () => {
    const planned = [signal('a'), signal('b'), signal('c')];
    const grouped = groupByStream(planned);
    expect(grouped.appends.map((a) => [a.streamId, a.events.map((e) => e.id), a.expectedVersion])).toEqual([
      ['signal-a', ['00000000-0000-4000-8000-00000000000a'], 'no_stream'],
      ['signal-b', ['00000000-0000-4000-8000-00000000000b'], 'no_stream'],
      ['signal-c', ['00000000-0000-4000-8000-00000000000c'], 'no_stream'],
    ]);
    expect(grouped.entryOf).toEqual([0, 1, 2]);
    expect(grouped.repeated).toEqual([false, false, false]);
  });

  it('puts the traffic samples of one source into one entry of their stream, in order', () => {
    const planned = [sample('api', 'e1'), sample('db', 'e2'), sample('api', 'e3')];
    const grouped = groupByStream(planned);
    expect(grouped.appends.map((a) => [a.streamId, a.events.map((e) => e.id.slice(-2))])).toEqual([
      ['source-api', ['e1', 'e3']],
      ['source-db', ['e2']],
    ]);
    expect(grouped.entryOf).toEqual([0, 1, 0]);
  });

  it('appends a signal sent twice in one request once and marks the second copy as repeated', () => {
    const planned = [signal('a'), signal('b'), signal('a')];
    const grouped = groupByStream(planned);
    expect(grouped.appends.map((a) => a.events.length)).toEqual([1, 1]);
    expect(grouped.entryOf).toEqual([0, 1, 0]);
    expect(grouped.repeated).toEqual([false, false, true]);
  });
});

function event(id: string): NewEvent {
  return { id, type: 'T', schemaVersion: 1, occurredAt: new Date(0), payload: {} };
}

function signal(name: string): PlannedAppend {
  return { itemId: name, streamId: `signal-${name}`, expectedVersion: 'no_stream', event: event(`00000000-0000-4000-8000-00000000000${name}`) };
}

function sample(source: string, suffix: string): PlannedAppend {
  return { itemId: suffix, streamId: `source-${source}`, expectedVersion: 'any', event: event(`00000000-0000-4000-8000-0000000000${suffix}`) };
}
