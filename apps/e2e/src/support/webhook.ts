import { stack } from './stack';

/** One request the remediation webhook received, as it arrived (support/webhook-recorder.mjs). */
export interface Delivery {
  receivedAt: string;
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  /** The raw body: a signature is checked over these bytes, not over a re-serialised copy. */
  body: string;
  incidentId: string | null;
  answered: number;
}

/** What the webhook received for one incident's remediation steps, oldest first. */
export async function deliveriesFor(incidentId: string): Promise<Delivery[]> {
  const res = await fetch(`${stack().webhook.url}/recorded?incidentId=${encodeURIComponent(incidentId)}`);
  if (res.status !== 200) throw new Error(`webhook recorder: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { items: Delivery[] }).items;
}

/** A source whose remediation steps the webhook answers with 500 (every step that targets it). */
export function failingSource(prefix: string): string {
  return `${stack().webhook.failingTargetPrefix}${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
