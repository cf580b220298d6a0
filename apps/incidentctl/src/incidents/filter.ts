import type { IncidentView } from '@incident/incident-api';

export interface ListFilters {
  status?: string[];
  severity?: string[];
  type?: string[];
  service?: string[];
  limit: number;
}

/** The list's filters and order, as GET /v1/incidents applies them: newest opened first, then by id. */
export function selectIncidents(views: readonly IncidentView[], f: ListFilters): { matched: number; items: IncidentView[] } {
  const keep = (allowed: string[] | undefined, value: string) => !allowed || allowed.includes(value);
  const matching = views.filter(
    (v) => keep(f.status, v.status) && keep(f.severity, v.severity) && keep(f.type, v.type) && keep(f.service, v.source),
  );
  matching.sort((a, b) => (a.openedAt === b.openedAt ? (a.id < b.id ? -1 : 1) : a.openedAt < b.openedAt ? 1 : -1));
  return { matched: matching.length, items: matching.slice(0, f.limit) };
}

/** Runs `work` over `items` with at most `concurrency` in flight, keeping the input order. */
export async function mapConcurrent<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
