import { performance } from 'node:perf_hooks';
import type { Signal, TrafficSample } from '@incident/contracts';
import type { IngestMetrics } from '../metrics';
import {
  countBySource,
  type SourceRateLimiter,
} from '../rate-limit/source-rate-limiter';
import {
  type SignalsAnswer,
  signalsAnswer,
  type TrafficAnswer,
  trafficAnswer,
} from './answer';
import { pseudonyms } from './pseudonyms';
import {
  type EventLog,
  isLogUnavailable,
  LogUnavailableError,
  recordBatch,
} from './record-batch';
import {
  type PlannedAppend,
  type RecordingContext,
  signalReceived,
  trafficSampled,
} from './signal-events';
import type { SignalChannel } from './signal-id';

/** Why a valid request was not taken; nothing of it was stored, and retrying later may work. */
export class IntakeRefusedError extends Error {
  constructor(
    readonly reason: 'rate_limited' | 'log_unavailable',
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
    this.name = 'IntakeRefusedError';
  }
}

export interface RecorderOptions {
  commitTimeoutMs: number;
  /** Retry-After of a 503; a rate limit computes its own. */
  unavailableRetryAfterSeconds: number;
  /** Where the cause of a 503 goes: the publisher only learns "retry later". */
  warn: (message: string) => void;
}

/**
 * What every HTTP intake endpoint does once its input is valid: charge the sources' rate limits,
 * map the items to events, commit them in one transaction, answer what was stored.
 */
export class Recorder {
  constructor(
    private readonly log: EventLog,
    private readonly limiter: SourceRateLimiter,
    private readonly metrics: IngestMetrics,
    private readonly options: RecorderOptions,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {}

  async acceptSignals(
    signals: readonly Signal[],
    channel: SignalChannel,
    ctx: RecordingContext,
  ): Promise<SignalsAnswer> {
    this.admit(signals);
    const userRef = await this.unlessUnavailable('signals', () =>
      pseudonyms(this.log.dataSource, signals, {
        timeoutMs: this.options.commitTimeoutMs,
      }),
    );
    const planned = signals.map((signal) =>
      signalReceived(signal, channel, ctx, userRef(signal)),
    );
    const duplicate = await this.commit(planned, 'signals');
    const answer = signalsAnswer(planned, duplicate);
    this.metrics.signals.inc({ channel, outcome: 'stored' }, answer.accepted);
    this.metrics.signals.inc(
      { channel, outcome: 'duplicate' },
      answer.duplicates,
    );
    return answer;
  }

  async acceptTraffic(
    samples: readonly TrafficSample[],
    ctx: RecordingContext,
  ): Promise<TrafficAnswer> {
    this.admit(samples);
    const planned = samples.map((sample) => trafficSampled(sample, ctx));
    return trafficAnswer(planned, await this.commit(planned, 'traffic'));
  }

  private admit(items: readonly { source: string }[]): void {
    const admission = this.limiter.admit(
      countBySource(items.map((item) => item.source)),
      this.monotonicMs(),
    );
    if (admission.ok) return;
    this.metrics.refused.inc({ reason: 'rate_limited' });
    throw new IntakeRefusedError(
      'rate_limited',
      admission.retryAfterSeconds,
      `source "${admission.source}" is over its rate limit; nothing of this request was stored, retry after ${admission.retryAfterSeconds} s`,
    );
  }

  /** The users' pseudonyms come from the log's database too: down is a 503, as for the commit. */
  private async unlessUnavailable<T>(
    kind: 'signals',
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isLogUnavailable(error)) throw error;
      this.options.warn(
        `answering 503 to a ${kind} request: no pseudonyms for its users: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.metrics.refused.inc({ reason: 'log_unavailable' });
      throw new IntakeRefusedError(
        'log_unavailable',
        this.options.unavailableRetryAfterSeconds,
        'the event log could not commit; nothing of this request was stored, retry later',
      );
    }
  }

  private async commit(
    planned: readonly PlannedAppend[],
    kind: 'signals' | 'traffic',
  ): Promise<boolean[]> {
    const stop = this.metrics.commitSeconds.startTimer({ kind });
    try {
      return await recordBatch(this.log, planned, {
        timeoutMs: this.options.commitTimeoutMs,
      });
    } catch (error) {
      if (!(error instanceof LogUnavailableError)) throw error;
      this.options.warn(
        `answering 503 to a ${planned.length}-item ${kind} request: ${error.reason}`,
      );
      this.metrics.refused.inc({ reason: 'log_unavailable' });
      throw new IntakeRefusedError(
        'log_unavailable',
        this.options.unavailableRetryAfterSeconds,
        'the event log could not commit; nothing of this request was stored, retry later',
      );
    } finally {
      stop();
    }
  }
}
