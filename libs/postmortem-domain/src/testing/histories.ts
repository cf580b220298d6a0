// Incident histories for specs. Responder events are decided by the incident domain's own
// decider, so the postmortem is tested against what the responder API really records.
import type { Severity } from '@incident/contracts';
import { decideResponder, type ResponderCommand, type RootCauseAnalysis } from '@incident/incident-domain';
import { foldHistory, type HistoryEvent } from '../history';

export const T0 = '2025-12-24T14:35:00.000Z';
export const INCIDENT_ID = '6f1c1a52-5d8e-4b0e-9a51-0f1f7a9e2c11';

/** `T0` plus minutes (and seconds). */
export function at(minutes: number, seconds = 0): string {
  return new Date(Date.parse(T0) + minutes * 60_000 + seconds * 1000).toISOString();
}

type Input = ResponderCommand extends infer C ? (C extends ResponderCommand ? Omit<C, 'at' | 'actor'> : never) : never;

export class IncidentHistory {
  readonly events: HistoryEvent[] = [];

  opened(fields: { at?: string; severity?: Severity; type?: string; source?: string; title?: string } = {}): this {
    const type = fields.type ?? 'timeout';
    const source = fields.source ?? 'code-review-agent';
    return this.push('IncidentOpened', 'correlation', {
      incidentId: INCIDENT_ID, at: fields.at ?? T0, fingerprint: `${source}|agent:code-review|${type}`, incidentType: type, source,
      title: fields.title ?? 'timeout in code-review-agent/agent:code-review: Agent execution timed out after 300000ms', severity: fields.severity ?? 'SEV-3',
      basis: { rule: 'open.failure-count', policyVersion: 'correlation-policy/v1', inputs: {} },
      classification: { type, fingerprint: `${source}|agent:code-review|${type}`, source, ruleId: 'timeout.timed-out', ruleSetVersion: 'classifier-rules/v1' },
    });
  }

  /** `n` signals, one per second from `from`, users cycling through `users` ids. */
  signals(n: number, opts: { from?: string; users?: number; errorCode?: string; component?: string } = {}): this {
    const from = Date.parse(opts.from ?? T0);
    for (let i = 0; i < n; i++) {
      const when = new Date(from + i * 1000).toISOString();
      this.push('SignalAttached', 'correlation', {
        signalId: `s-${this.events.length}`, at: when, bucket: `${when.slice(0, 13)}:00:00.000Z`, level: 'ERROR',
        component: opts.component ?? 'agent:code-review', errorCode: opts.errorCode ?? 'ETIMEDOUT', userId: `user-${i % (opts.users ?? n)}`,
      });
    }
    return this;
  }

  errorRate(when: string, requests: number, errors: number): this {
    return this.push('ErrorRateMeasured', 'correlation', { at: when, windowStart: when, windowEnd: when, requests, errors, errorRate: errors / requests });
  }

  severity(when: string, from: Severity, to: Severity, reason: string, actor = 'correlation'): this {
    return this.push('SeverityChanged', actor, { at: when, from, to, reason, actor, basis: { rule: 'severity.major-degradation', policyVersion: 'correlation-policy/v1', inputs: {} } });
  }

  /** A responder command, decided by the incident domain on the history so far. */
  respond(when: string, actor: string, input: Input): this {
    for (const e of decideResponder({ ...input, at: when, actor } as ResponderCommand, foldHistory(this.events))) this.push(e.type, actor, { ...e.data });
    return this;
  }

  /** An event of a type another service records (escalation), in the incident stream. */
  other(type: string, when: string, actor: string, payload: Record<string, unknown> = {}): this {
    return this.push(type, actor, { at: when, ...payload });
  }

  /** An event of the incident's remediation stream (`remediation-<id>`), merged into the history. */
  remediation(type: string, when: string, payload: Record<string, unknown> = {}): this {
    const version = this.events.filter((e) => e.stream !== undefined).length + 1;
    this.events.push({ type, version, at: when, payload: { at: when, ...payload }, actor: 'remediation', stream: `remediation-${INCIDENT_ID}` });
    return this;
  }

  private push(type: string, actor: string, payload: Record<string, unknown>): this {
    const version = this.events.filter((e) => e.stream === undefined).length + 1;
    this.events.push({ type, version, at: new Date(String(payload['at'])).toISOString(), payload, actor });
    return this;
  }
}

/** The playbook's 5 Whys for the agent timeout, as a responder records them. */
export function playbookAnalysis(overrides: Partial<RootCauseAnalysis> = {}): RootCauseAnalysis {
  return {
    fiveWhys: [
      'Why did the agent timeout? Because it took > 300 seconds to respond',
      'Why did it take so long? Because the Claude API call was slow (280s)',
      'Why was the API call slow? Because we sent a 50,000 token prompt',
      'Why did we send such a large prompt? Because the code-reviewer agent included entire codebase in context',
      'Why did it include the entire codebase? File globbing pattern `**/*` matched all files including node_modules (500MB)',
    ],
    fishbone: {
      people: ['No code review caught the issue'],
      process: ['No integration tests for large codebases', 'No performance testing in CI/CD'],
      technology: ['Glob pattern included node_modules (500MB)', 'No size limit on prompts', 'No timeout on file reading'],
      environment: ['Production codebase larger than test repos', 'No staging environment for testing'],
    },
    rootCause: 'File globbing pattern `**/*` included `node_modules/` directory (500MB), creating prompts exceeding context limits and causing timeouts',
    fix: 'Add file exclusion patterns and max prompt size validation',
    contributingFactors: ['No file size validation before prompt construction', 'No integration tests with large codebases', 'No staging environment for testing'],
    wentWell: ['Fast root cause identification (10 minutes)', 'Effective rollback procedure', 'Clear communication to affected users'],
    wentPoorly: ['No monitoring alerts before user reports', 'No prompt size limits prevented the issue', 'Fix took 20 minutes to deploy'],
    lessonsLearned: ['File operations need size limits', 'Production testing with realistic data is critical', 'Monitoring must detect issues before users report them'],
    ...overrides,
  };
}

/** The playbook's agent-timeout incident, from first alert to resolution, worked by `oncall`. */
export function agentTimeoutIncident(): IncidentHistory {
  return new IncidentHistory()
    .opened()
    .signals(1200)
    .errorRate(at(5), 1000, 680)
    .severity(at(5), 'SEV-3', 'SEV-2', 'major degradation: 68.0% error rate')
    .respond(at(7), 'oncall', { kind: 'AcknowledgeIncident' })
    .respond(at(10), 'oncall', { kind: 'SetStatus', status: 'identified' })
    .respond(at(10, 30), 'oncall', { kind: 'RecordRootCause', analysis: playbookAnalysis() })
    .respond(at(15), 'oncall', { kind: 'AddNote', noteId: 'n-1', text: 'Fix deployed to staging' })
    .respond(at(20), 'oncall', { kind: 'AddNote', noteId: 'n-2', text: 'Fix deployed to production' })
    .errorRate(at(25), 1000, 50)
    .respond(at(40), 'oncall', { kind: 'ResolveIncident', reason: 'error rate < 1%' });
}

/** The playbook's five action items, added after resolution. */
export function withPlaybookActionItems(history: IncidentHistory): IncidentHistory {
  const items = [
    ['a-1', 'Add file size validation', 'P0', '@dev', '2025-12-25'],
    ['a-2', 'Implement max prompt size limit', 'P0', '@dev', '2025-12-25'],
    ['a-3', 'Add monitoring for agent timeouts', 'P1', '@ops', '2025-12-27'],
    ['a-4', 'Create staging environment', 'P1', '@ops', '2025-12-30'],
    ['a-5', 'Add integration tests with large repos', 'P2', '@qa', '2026-01-05'],
  ] as const;
  items.forEach(([itemId, title, priority, owner, dueDate], i) => history.respond(at(50, i), 'oncall', { kind: 'AddActionItem', itemId, title, priority, owner, dueDate }));
  return history;
}
