import type { BLAME_RULE_IDS } from '@incident/contracts';
// The playbook's "Don't blame individuals": "Root cause: Developer X wrote bad code" is the
// example of what not to write, "Missing code review process for file operations" the example
// of what to write instead. These rules find the first kind of sentence; each comes with a
// suggestion that turns it into the second.

/** The contracts' list: PostmortemDrafted carries the rule of each warning. */
export type BlameRule = (typeof BLAME_RULE_IDS)[number];

export interface BlameRuleDefinition {
  rule: BlameRule;
  pattern: RegExp;
  suggestion: string;
  /** For `named-person`: the captured name must look like a person's, not a system's. */
  namesPerson?: boolean;
}

// What a person is blamed for doing. "Added", "deployed" alone describe; these accuse.
const ACCUSING =
  String.raw`(?:broke|caused|forgot(?:\s+to)?|failed\s+to|messed(?:\s+up)?|screwed\s+up|neglected(?:\s+to)?|ignored|overlooked|` +
  String.raw`didn't|did\s+not|should\s+have|should've|(?:wrote|pushed|merged|shipped|deployed)\s+(?:a\s+)?(?:bad|broken|buggy|sloppy|untested))\b`;

const ROLES = String.raw`(?:developer|engineer|dev|programmer|operator|admin|administrator|intern|on-?call(?:\s+engineer)?|sre|someone|somebody)`;

const SYSTEM_SUGGESTION =
  'Describe the gap in the system or process that let this happen (a missing review, test, guard rail, limit or alert), ' +
  'not the person: e.g. "Missing code review process for file operations" instead of "Developer X wrote bad code".';

export const BLAME_RULES: readonly BlameRuleDefinition[] = [
  {
    rule: 'named-person',
    pattern: new RegExp(String.raw`(?:^|[^\w@])(@[\w.-]+|[A-Z][a-z]+)\s+${ACCUSING}`, 'g'),
    suggestion: SYSTEM_SUGGESTION,
    namesPerson: true,
  },
  { rule: 'role-person', pattern: new RegExp(String.raw`\b${ROLES}(?:\s+[A-Z][\w.-]*)?\s+${ACCUSING}`, 'gi'), suggestion: SYSTEM_SUGGESTION },
  {
    rule: 'pronoun',
    pattern: new RegExp(String.raw`\b(?:he|she|you)\s+${ACCUSING}|\b(?:his|her|your)\s+(?:mistake|fault|error|carelessness|negligence)\b`, 'gi'),
    suggestion: SYSTEM_SUGGESTION,
  },
  {
    rule: 'human-error',
    pattern: /\b(?:human|operator|pilot)[- ]error\b/gi,
    suggestion:
      '"Human error" ends the analysis where it should start: ask why the system made the mistake possible and easy ' +
      '(confusing tooling, no validation, no review, no safe default) and write that down instead.',
  },
  {
    rule: 'fault',
    pattern: /[\w@.-]+'s\s+(?:fault|mistake)\b|\bfault\s+of\b|\b(?:is|are|was|were)\s+to\s+blame\b|\bblame\s+(?:lies|goes)\b/gi,
    suggestion: 'Replace whose fault it was with the condition that made the failure possible, and the change that removes it.',
  },
  {
    rule: 'should-have-known',
    pattern: /\bshould(?:\s+have|'ve)\s+known\b/gi,
    suggestion: 'Say what information was missing or hard to find at the time, and how the process will surface it next time.',
  },
  {
    rule: 'judgement',
    pattern: /\b(?:careless(?:ness)?|negligen(?:t|ce)|incompeten(?:t|ce)|lazy|sloppy|stupid|clueless)\b/gi,
    suggestion: 'Judgements of people do not prevent a recurrence: name the missing safeguard (check, test, review, alert) instead.',
  },
];

/**
 * Capitalised words that begin sentences or name systems, not people: "Deploy broke the
 * build" blames a change, which is what a postmortem should do.
 */
export const NOT_A_PERSON: ReadonlySet<string> = new Set(
  (
    'The This That These Those It Its We Our They Their He She You I His Her Your There Here Then When Which What Who A An No Nobody Nothing Everyone ' +
    'And But Or If Because Since After Before While Also Both Each Every Some Any One Two Three Most All None Another ' +
    'Deploy Deployment Deploys Release Rollout Rollback Migration Migrations Config Configuration Service Services Server ' +
    'Database Cache Redis Kafka Postgres Node Traffic Load Code Change Changes Commit Script Job Jobs Cron Network Latency ' +
    'Timeout Timeouts Glob Agent Agents Plugin Plugins Retry Retries Upstream Downstream Monitoring Alerting Alert Alerts ' +
    'Test Tests Testing Disk Memory Rollouts Update Updates Upgrade Patch Bug Bugs Query Queries Request Requests Prompt ' +
    'Prompts File Files Pattern Limit Limiter Queue Worker Workers Process Pod Pods Container Containers Cluster Host Spike ' +
    'Storm Outage Incident Error Errors Failure Failures Docker Kubernetes Nginx Claude Anthropic Gateway Proxy Scheduler ' +
    'Backup Restore Index Schema Table Feature Flag Library Dependency Version Build Builds Pipeline Login Auth Token Tokens ' +
    'Certificate Batch Import Export Sync Stream Consumer Producer Broker Topic Partition Staging Production Review Reviews ' +
    'Validation Check Checks Runbook Team Teams Nothing Everything Missing Lack Absence Without'
  ).split(/\s+/),
);
