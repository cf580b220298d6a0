import { type BeforeApplicationShutdown, type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { EventStore } from '@incident/event-store';
import { CURRENT_RUNBOOKS, ESCALATION_POLICY_V1, REMEDIATION_POLICY_V1 } from '@incident/remediation-domain';
import { METRICS_REGISTRY } from '@incident/service-runtime';
import { Counter, type Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { deliverEscalation } from '../escalate/deliver-escalation';
import { fireDeadline } from '../escalate/fire-deadline';
import { selectExecutor } from '../executors/select-executor';
import { FoldedStreams } from '../log/folded-streams';
import type { RemediationDeps } from '../log/remediation-deps';
import { RemediationTimers } from '../log/remediation-timers';
import { runStep } from '../run-steps/run-step';
import { TimerPoller } from '../timers/timer-poller';
import type { RemediationSettings } from './remediation-config';

export const REMEDIATION_DEPS = Symbol('REMEDIATION_DEPS');
const REMEDIATION_SETTINGS = Symbol('REMEDIATION_SETTINGS');

export function remediationDeps(settings: RemediationSettings, store: EventStore, schema: string, registry?: Registry): RemediationDeps {
  const counter = (name: string, help: string, labelNames: string[]) => registry && new Counter({ name, help, labelNames, registers: [registry] });
  const decisions = counter('remediation_decisions_total', 'Decisions, by the first event decided (or <command>:none)', ['decision']);
  const attempts = counter('remediation_step_attempts_total', 'Step attempts, by executor and outcome', ['executor', 'outcome']);
  const deliveries = counter('remediation_escalation_deliveries_total', 'Escalation webhook deliveries, by outcome', ['outcome']);
  const conflicts = counter('remediation_conflicts_total', 'Decisions taken again after a stream version conflict', []);
  // Counted when the decision is appended, inside its transaction (a rolled-back one is counted too).
  const missed = counter('remediation_acknowledgement_deadlines_missed_total', 'Incidents escalated because nobody acknowledged them within the response time of their severity', ['severity']);
  const outcomes = counter('remediation_outcomes_total', 'Remediation runs that ended, by outcome: completed, failed or cancelled', ['outcome']);
  return {
    store,
    streams: new FoldedStreams(store, settings.cacheStreams),
    timers: new RemediationTimers(schema),
    policy: { ...REMEDIATION_POLICY_V1, ...settings.policy },
    runbooks: CURRENT_RUNBOOKS,
    escalation: ESCALATION_POLICY_V1,
    executor: selectExecutor(settings.executor),
    ...(settings.escalationWebhook ? { escalationWebhook: settings.escalationWebhook } : {}),
    maxConflictRetries: settings.maxConflictRetries,
    metrics: {
      conflict: () => conflicts?.inc(),
      decided: (decision) => decisions?.inc({ decision }),
      attempted: (executor, outcome) => attempts?.inc({ executor, outcome }),
      delivered: (outcome) => deliveries?.inc({ outcome }),
      deadlineMissed: (severity) => missed?.inc({ severity }),
      finished: (outcome) => outcomes?.inc({ outcome }),
    },
  };
}

/** The three timer kinds, each on its own poller so a slow webhook never delays a deadline. */
export function timerPollers(dataSource: DataSource, deps: RemediationDeps, settings: RemediationSettings, clock: () => Date = () => new Date()): TimerPoller[] {
  const logger = new Logger('RemediationTimers');
  const log = { warn: (message: string, context?: Record<string, unknown>) => logger.warn(`${message} ${JSON.stringify(context ?? {})}`) };
  const common = { intervalMs: settings.timers.pollIntervalMs, batch: settings.timers.batch, clock, logger: log };
  const errors = { error: (message: string, context?: Record<string, unknown>) => logger.error(`${message} ${JSON.stringify(context ?? {})}`) };
  return [
    new TimerPoller(dataSource, deps.timers, { ...common, kind: 'acknowledgement', fire: (tx, row, now) => fireDeadline(tx, deps, row.incidentId, now) }),
    new TimerPoller(dataSource, deps.timers, { ...common, kind: 'step', fire: (tx, row) => runStep(tx, deps, row.incidentId, clock) }),
    new TimerPoller(dataSource, deps.timers, { ...common, kind: 'escalation-webhook', fire: (tx, row, now) => deliverEscalation(tx, deps, row, now, errors) }),
  ];
}

/** Starts the pollers with the app and stops them before the pool closes. */
@Injectable()
class TimerPollersRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly pollers: TimerPoller[];

  constructor(@Inject(DataSource) dataSource: DataSource, @Inject(REMEDIATION_DEPS) deps: RemediationDeps, @Inject(REMEDIATION_SETTINGS) settings: RemediationSettings) {
    this.pollers = timerPollers(dataSource, deps, settings);
  }

  onApplicationBootstrap(): void {
    for (const p of this.pollers) p.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.stop()));
  }
}

/** The remediation log access every slice shares, built once from the runtime's store. */
@Module({})
export class RemediationCoreModule {
  static forRoot(settings: RemediationSettings, schema: string): DynamicModule {
    return {
      module: RemediationCoreModule,
      providers: [
        { provide: REMEDIATION_SETTINGS, useValue: settings },
        {
          provide: REMEDIATION_DEPS,
          inject: [EventStore, METRICS_REGISTRY],
          useFactory: (store: EventStore, registry: Registry) => remediationDeps(settings, store, schema, registry),
        },
        TimerPollersRunner,
      ],
      exports: [REMEDIATION_DEPS],
    };
  }
}
