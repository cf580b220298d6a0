import { STEP_ACTIONS, type IncidentType } from '@incident/contracts';

// What a step does, named by the playbook's words: the contracts' list (events of the remediation
// stream carry it), so a new action is added there.
export { STEP_ACTIONS };
export type StepAction = (typeof STEP_ACTIONS)[number];

/** Step parameters are recorded in the log with the proposal: plain values only. */
export type StepParams = Readonly<Record<string, string | number | boolean>>;

export interface RunbookStep {
  /** Unique within its runbook version; the approval URL names it. */
  readonly id: string;
  readonly action: StepAction;
  readonly description: string;
  /** The step changes production (restarts, throttles, restores): the approval policy applies to it. */
  readonly production: boolean;
  readonly params: StepParams;
  /** A dependency the step acts on instead of the incident's own service (PostgreSQL, the upstream API). */
  readonly dependency?: string;
}

/** A versioned runbook: a new wording or order of steps is a new version, old proposals keep theirs. */
export interface Runbook {
  readonly id: string;
  readonly version: number;
  readonly incidentType: IncidentType;
  readonly title: string;
  /** Where in the playbook the steps come from, for the auditor. */
  readonly playbookSection: string;
  readonly steps: readonly RunbookStep[];
}

export interface RunbookRef {
  id: string;
  version: number;
}

/** A set of runbooks released together: one per incident type. */
export interface RunbookSet {
  readonly version: string;
  readonly runbooks: Readonly<Record<IncidentType, Runbook>>;
}
