import { Counter, Histogram, type Registry } from 'prom-client';

/** What an operator watches on ingest's /metrics besides the runtime's defaults. */
export class IngestMetrics {
  readonly signals: Counter<'channel' | 'outcome'>;
  readonly refused: Counter<'reason'>;
  readonly rejected: Counter<'channel' | 'reason'>;
  readonly commitSeconds: Histogram<'kind'>;

  constructor(registry: Registry) {
    this.signals = new Counter({
      name: 'ingest_signals_total',
      help: 'Signals committed to the event log, by channel; outcome "duplicate" when the log already held them',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    });
    this.refused = new Counter({
      name: 'ingest_requests_refused_total',
      help: 'Requests refused before anything was stored: rate_limited (429) or log_unavailable (503)',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.rejected = new Counter({
      name: 'ingest_requests_rejected_total',
      help:
        'Signal and traffic requests answered with an error, by channel and reason: invalid (400), unauthenticated (401), forbidden (403), ' +
        'too_large (413), unsupported_media_type (415), rate_limited (429), log_unavailable (503), error (other 5xx); nothing of them was stored',
      labelNames: ['channel', 'reason'],
      registers: [registry],
    });
    this.commitSeconds = new Histogram({
      name: 'ingest_commit_seconds',
      help: 'Time to append and commit one request (its whole batch, one transaction)',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }
}
