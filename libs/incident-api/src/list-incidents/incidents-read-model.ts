import type { DataSource } from 'typeorm';
import type { IncidentRow } from '../projection/incident-row';
import { type IncidentRecord, incidentsSql, schemaOf, toRow } from '../projection/incidents-sql';
import { encodeCursor } from './cursor';
import type { ListQuery } from './list-query';

export interface IncidentPage {
  items: IncidentRow[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Reads the `incidents` projection: fast lists, as fresh as the projector (the log is the truth). */
export class IncidentsReadModel {
  private readonly sql: ReturnType<typeof incidentsSql>;

  constructor(private readonly dataSource: DataSource) {
    this.sql = incidentsSql(schemaOf(dataSource));
  }

  async list(q: ListQuery): Promise<IncidentPage> {
    // One row more than asked says whether there is a next page without a count(*).
    const records: IncidentRecord[] = await this.dataSource.query(this.sql.list, [
      q.status ?? null,
      q.severity ?? null,
      q.type ?? null,
      q.service ?? null,
      q.cursor?.openedAt ?? null,
      q.cursor?.id ?? null,
      q.limit + 1,
    ]);
    const items = records.slice(0, q.limit).map(toRow);
    const last = items[items.length - 1];
    return { items, nextCursor: records.length > q.limit && last ? encodeCursor({ openedAt: last.openedAt, id: last.id }) : null };
  }
}
