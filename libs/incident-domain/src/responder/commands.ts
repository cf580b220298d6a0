import type { Severity } from '@incident/contracts';
import type { ActionItemPriority, ResponseStatus, RootCauseAnalysis } from '../events';

/** Every responder command names who (the API key's name) and when (the API's clock, recorded). */
interface Issued {
  actor: string;
  at: string;
}

export type ResponderCommand =
  | ({ kind: 'AcknowledgeIncident' } & Issued)
  | ({ kind: 'AddNote'; noteId: string; text: string } & Issued)
  | ({ kind: 'SetStatus'; status: ResponseStatus | 'resolved'; reason?: string } & Issued)
  | ({ kind: 'ChangeSeverity'; severity: Severity; reason: string } & Issued)
  | ({ kind: 'RecordRootCause'; analysis: RootCauseAnalysis } & Issued)
  | ({ kind: 'AddActionItem'; itemId: string; title: string; priority: ActionItemPriority; owner: string; dueDate: string } & Issued)
  | ({ kind: 'CompleteActionItem'; itemId: string } & Issued)
  | ({ kind: 'ResolveIncident'; reason: string } & Issued);
