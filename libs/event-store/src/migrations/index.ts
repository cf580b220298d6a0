import { CreateEventLog1764201600000 } from './1764201600000-CreateEventLog';
import { CreateStreamHeads1764201600001 } from './1764201600001-CreateStreamHeads';
import { CreateConsumerState1764201600002 } from './1764201600002-CreateConsumerState';
import { CreateCorrelationIncidents1764201600003 } from './1764201600003-CreateCorrelationIncidents';
import { CreateIncidentsProjection1764201600004 } from './1764201600004-CreateIncidentsProjection';
import { CheckHashesByLength1764288000000 } from './1764288000000-CheckHashesByLength';
import { CreatePostmortemDue1764547200000 } from './1764547200000-CreatePostmortemDue';
import { CreateRemediationTimers1764633600000 } from './1764633600000-CreateRemediationTimers';
import { CreatePersonalData1764720000000 } from './1764720000000-CreatePersonalData';

/** Listed explicitly, not globbed: globs break under bundlers and ts-jest alike. */
export const migrations = [
  CreateEventLog1764201600000,
  CreateStreamHeads1764201600001,
  CreateConsumerState1764201600002,
  CreateCorrelationIncidents1764201600003,
  CreateIncidentsProjection1764201600004,
  CheckHashesByLength1764288000000,
  CreatePostmortemDue1764547200000,
  CreateRemediationTimers1764633600000,
  CreatePersonalData1764720000000,
];
