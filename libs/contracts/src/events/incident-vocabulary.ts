import { z } from 'zod';

/** The playbook's severity table, most severe first. */
export const SEVERITIES = ['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

/**
 * The playbook's incident types, plus `unclassified`: a signal no rule recognises still
 * counts, it is never dropped.
 */
export const INCIDENT_TYPES = [
  'api_failure',
  'rate_limit',
  'timeout',
  'memory_leak',
  'plugin_crash',
  'data_corruption',
  'performance',
  'authentication',
  'unclassified',
] as const;
export const IncidentTypeSchema = z.enum(INCIDENT_TYPES);
export type IncidentType = z.infer<typeof IncidentTypeSchema>;
