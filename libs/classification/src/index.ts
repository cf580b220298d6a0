export * from './rule';
export * from './classify';
export * from './rule-sets';
export { RULES_V1 } from './rules.v1';
export { RULES_V2 } from './rules.v2';
export * from './classified-event';
