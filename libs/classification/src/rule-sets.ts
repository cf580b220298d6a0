import type { RuleSet } from './rule';
import { RULES_V1 } from './rules.v1';
import { RULES_V2 } from './rules.v2';

/** Every rule set ever released, by version, so a recorded decision can be re-run as it was. */
export const RULE_SETS: Readonly<Record<string, RuleSet>> = {
  [RULES_V1.version]: RULES_V1,
  [RULES_V2.version]: RULES_V2,
};

// v2 is released for replays and what-ifs (`incidentctl replay --rules classifier-rules/v2`);
// the classifier keeps deciding with v1 until it is switched here.
export const CURRENT_RULE_SET = RULES_V1;

export function ruleSet(version: string): RuleSet {
  const found = RULE_SETS[version];
  if (!found) {
    throw new Error(`unknown classifier rule set "${version}"; known: ${Object.keys(RULE_SETS).join(', ')}`);
  }
  return found;
}
