import type { ClassificationRule, RuleSet } from './rule';
import { RULES_V1 } from './rules.v1';

/**
 * Rule set v2: the caller's deadlines are latency, not our own timeouts.
 *
 * v1 files HTTP 408 (Request Timeout), 504 (Gateway Timeout) and "deadline exceeded" under
 * `timeout`, the playbook's type for an *agent or tool* that ran past its own budget ("Agent
 * execution timed out after 300000ms"), whose runbook is about that agent (huge prompts, file
 * globbing, its timeout manager). A 408/504 or a gRPC DEADLINE_EXCEEDED is something else: a
 * dependency answered too slowly for the caller, which is the playbook's `performance` ("slow
 * response times"), and its runbook (latency, the slow dependency) is the one that helps.
 *
 * So v2 adds `performance.upstream-deadline` ahead of the timeout rule and takes those codes and
 * that phrase out of `timeout.timed-out`; every other rule is v1's, in v1's order. Recorded
 * decisions name v1 and replay as v1; `incidentctl replay --rules classifier-rules/v2` shows
 * what v2 would have made of the same signals.
 */
const UPSTREAM_DEADLINE: ClassificationRule = {
  id: 'performance.upstream-deadline',
  type: 'performance',
  description: 'A dependency answered too slowly for the caller: HTTP 408/504, "gateway timeout", "deadline exceeded"',
  errorCodes: ['408', '504', 'DEADLINE_EXCEEDED'],
  messagePatterns: ['deadline exceeded', 'gateway time-?out', 'request time-?out'],
};

const OUR_TIMEOUTS: Partial<ClassificationRule> = {
  description: 'An agent or tool ran past its own time budget ("timed out after 300000ms", ETIMEDOUT)',
  errorCodes: ['ETIMEDOUT', 'ESOCKETTIMEDOUT'],
  messagePatterns: ['timed out after', '\\btime(d)?[ -]?out\\b'],
};

export const RULES_V2: RuleSet = {
  version: 'classifier-rules/v2',
  rules: RULES_V1.rules.flatMap((rule): ClassificationRule[] =>
    rule.id === 'timeout.timed-out' ? [UPSTREAM_DEADLINE, { ...rule, ...OUR_TIMEOUTS }] : [rule],
  ),
};
