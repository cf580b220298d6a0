import type { RuleSet } from './rule';
import { RULES_V1 } from './rules.v1';

/** Every rule set ever released, by version, so a recorded decision can be re-run as it was. */
export const RULE_SETS: Readonly<Record<string, RuleSet>> = {
  [RULES_V1.version]: RULES_V1,
};

export const CURRENT_RULE_SET = RULES_V1;

export function ruleSet(version: string): RuleSet {
  const found = RULE_SETS[version];
  if (!found) {
    throw new Error(`unknown classifier rule set "${version}"; known: ${Object.keys(RULE_SETS).join(', ')}`);
  }
  return found;
}
