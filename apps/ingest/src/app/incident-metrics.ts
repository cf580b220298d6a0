import { SEVERITIES } from '@incident/contracts';
import { METRICS_REGISTRY, SERVICE_CONFIG, type ServiceConfig } from '@incident/service-runtime';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/**
 * Incidents not yet resolved, by severity, from the incidents read model that ingest's incident
 * API keeps (libs/incident-api's projector), read at scrape time. Every severity is always
 * reported, 0 included, so that a series does not vanish when its last incident resolves.
 */
@Injectable()
export class IncidentMetrics {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Inject(DataSource) dataSource: DataSource, @Inject(SERVICE_CONFIG) service: ServiceConfig) {
    const table = `"${service.database.schema}".incidents`;
    const logger = new Logger('IncidentMetrics');
    new Gauge({
      name: 'incidents_open',
      help: 'Incidents not resolved, by severity (the incidents read model; it follows the log within a poll interval)',
      labelNames: ['severity'],
      registers: [registry],
      async collect() {
        try {
          const rows: { severity: string; n: number }[] = await dataSource.query(
            `SELECT severity, count(*)::int AS n FROM ${table} WHERE status <> 'resolved' GROUP BY severity`,
          );
          const counts = new Map(rows.map((r) => [r.severity, r.n]));
          for (const severity of new Set<string>([...SEVERITIES, ...counts.keys()])) this.set({ severity }, counts.get(severity) ?? 0);
        } catch (error) {
          logger.warn('incidents open: cannot count', { error: error instanceof Error ? error.message : String(error) });
        }
      },
    });
  }
}
