import { type TrafficSample, TrafficSampleSchema } from '@incident/contracts';
import {
  type InputIssue,
  MAX_BATCH,
  type Parsed,
  zodIssues,
} from '@incident/signal-intake';

/** `POST /v1/traffic` body: one sample or an array of up to 1,000, all valid or none taken. */
export function parseTrafficBody(body: unknown): Parsed<TrafficSample[]> {
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0)
    return { ok: false, issues: [{ at: '', message: 'the batch is empty' }] };
  if (items.length > MAX_BATCH) {
    return {
      ok: false,
      issues: [
        {
          at: '',
          message: `a request holds at most ${MAX_BATCH} samples, got ${items.length}`,
        },
      ],
    };
  }
  const issues: InputIssue[] = [];
  const samples: TrafficSample[] = [];
  items.forEach((item, i) => {
    const checked = TrafficSampleSchema.safeParse(item);
    if (checked.success) samples.push(checked.data);
    else
      issues.push(
        ...zodIssues(Array.isArray(body) ? `[${i}]` : '', checked.error),
      );
  });
  return issues.length > 0
    ? { ok: false, issues }
    : { ok: true, value: samples };
}
