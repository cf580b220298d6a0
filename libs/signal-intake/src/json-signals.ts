import { type Signal, SignalSchema } from '@incident/contracts';
import { type InputIssue, type Parsed, zodIssues } from './issues';

export const MAX_BATCH = 1_000;

/**
 * `POST /v1/signals` body: one signal or an array of up to 1,000. Every item is checked before
 * any is accepted, so a batch with one bad item stores nothing and the answer names each bad one.
 */
export function parseJsonSignals(body: unknown): Parsed<Signal[]> {
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0) return { ok: false, issues: [{ at: '', message: 'the batch is empty' }] };
  if (items.length > MAX_BATCH) {
    return { ok: false, issues: [{ at: '', message: `a batch holds at most ${MAX_BATCH} signals, got ${items.length}` }] };
  }
  const issues: InputIssue[] = [];
  const signals: Signal[] = [];
  items.forEach((item, i) => {
    const checked = SignalSchema.safeParse(item);
    if (checked.success) signals.push(checked.data);
    else issues.push(...zodIssues(Array.isArray(body) ? `[${i}]` : '', checked.error));
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: signals };
}
