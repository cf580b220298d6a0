import { type Signal, SignalSchema } from '@incident/contracts';
import { z } from 'zod';
import { type Parsed, zodIssues } from './issues';

// A structured-mode CloudEvent (JSON, spec 1.0) whose `data` is a signal. The event's own
// `source` and `time` fill the signal's when it leaves them out.
const CloudEventSchema = z.looseObject({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().min(1),
  time: z.iso.datetime({ offset: true }).optional(),
  data: z.record(z.string(), z.unknown()),
});

export function isCloudEvent(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'specversion' in body;
}

export function cloudEventToSignal(body: unknown): Parsed<Signal> {
  const event = CloudEventSchema.safeParse(body);
  if (!event.success) return { ok: false, issues: zodIssues('', event.error) };
  const { id, source, time, data } = event.data;
  const signal = SignalSchema.safeParse({
    id: `cloudevent:${source}:${id}`,
    source,
    ...(time ? { timestamp: time } : {}),
    ...data,
  });
  return signal.success ? { ok: true, value: signal.data } : { ok: false, issues: zodIssues('data', signal.error) };
}
