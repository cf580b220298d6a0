import type { IncidentEvent } from '../events';
import type { IncidentState, OpenIncident } from '../incident-state';
import { moreSevere } from '../severity';
import type { ResponderCommand } from './commands';
import { reject } from './errors';

const RESPONDER_POLICY = 'responder/v1';
type Known = Exclude<IncidentState, { status: 'none' }>;

/**
 * decide(command, state) for what people do on an incident. Returns the events, or throws
 * IncidentCommandRejected with a stable code when the state does not allow the command.
 * Notes, root cause and action items stay open after resolution: the postmortem is written then.
 */
export function decideResponder(command: ResponderCommand, state: IncidentState): IncidentEvent[] {
  if (state.status === 'none') throw reject.notFound('the incident');
  const { at, actor } = command;
  switch (command.kind) {
    case 'AcknowledgeIncident': {
      const open = mustBeOpen(state, 'acknowledging');
      if (open.acknowledged) throw reject.conflict('ALREADY_ACKNOWLEDGED', `already acknowledged by ${open.acknowledged.by} at ${open.acknowledged.at}`);
      return [{ type: 'IncidentAcknowledged', data: { at, actor } }];
    }
    case 'AddNote':
      return [{ type: 'NoteAdded', data: { at, actor, noteId: command.noteId, text: nonEmpty(command.text, 'text') } }];
    case 'SetStatus':
      if (command.status === 'resolved') return resolve(state, at, actor, command.reason ?? 'resolved by a responder');
      return setStatus(mustBeOpen(state, 'changing the status'), command.status, at, actor);
    case 'ChangeSeverity': {
      const open = mustBeOpen(state, 'changing the severity');
      if (open.severity === command.severity) throw reject.conflict('SEVERITY_UNCHANGED', `the severity is already ${command.severity}`);
      const reason = nonEmpty(command.reason, 'reason');
      const direction = moreSevere(command.severity, open.severity) ? 'raised' : 'lowered';
      const basis = { rule: `responder.severity-${direction}`, policyVersion: RESPONDER_POLICY, inputs: { from: open.severity, to: command.severity } };
      return [{ type: 'SeverityChanged', data: { at, from: open.severity, to: command.severity, reason, basis, actor } }];
    }
    case 'RecordRootCause':
      return [{ type: 'RootCauseRecorded', data: { ...validAnalysis(command.analysis), at, actor } }];
    case 'AddActionItem':
      return addActionItem(state, command);
    case 'CompleteActionItem': {
      const item = state.actionItems[command.itemId];
      if (!item) throw reject.notFound(`action item ${command.itemId}`);
      if (item.completedAt) throw reject.conflict('ACTION_ITEM_COMPLETED', `action item ${command.itemId} was completed at ${item.completedAt}`);
      return [{ type: 'ActionItemCompleted', data: { at, actor, itemId: command.itemId } }];
    }
    case 'ResolveIncident':
      return resolve(state, at, actor, command.reason);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function mustBeOpen(state: Known, doing: string): OpenIncident {
  if (state.status !== 'open') throw reject.resolved(doing);
  return state;
}

function setStatus(open: OpenIncident, to: OpenIncident['responseStatus'], at: string, actor: string): IncidentEvent[] {
  if (open.responseStatus === to) throw reject.conflict('STATUS_UNCHANGED', `the status is already ${to}`);
  return [{ type: 'ResponseStatusChanged', data: { at, actor, from: open.responseStatus, to } }];
}

function resolve(state: Known, at: string, actor: string, reason: string): IncidentEvent[] {
  if (state.status === 'resolved') throw reject.conflict('ALREADY_RESOLVED', `already resolved at ${state.resolvedAt}`);
  const basis = { rule: 'responder.resolve', policyVersion: RESPONDER_POLICY, inputs: { openActionItems: openItems(state) } };
  return [{ type: 'IncidentResolved', data: { at, reason: nonEmpty(reason, 'reason'), basis, actor } }];
}

function addActionItem(state: Known, c: Extract<ResponderCommand, { kind: 'AddActionItem' }>): IncidentEvent[] {
  if (state.actionItems[c.itemId]) throw reject.conflict('ACTION_ITEM_EXISTS', `action item ${c.itemId} already exists`);
  if (Number.isNaN(Date.parse(c.dueDate))) throw reject.invalid('INVALID_DUE_DATE', `dueDate "${c.dueDate}" is not a date`);
  const data = { at: c.at, actor: c.actor, itemId: c.itemId, title: nonEmpty(c.title, 'title'), priority: c.priority, owner: nonEmpty(c.owner, 'owner'), dueDate: c.dueDate };
  return [{ type: 'ActionItemAdded', data }];
}

function validAnalysis<T extends { fiveWhys: string[]; rootCause: string; fix: string }>(a: T): T {
  if (a.fiveWhys.length === 0 || a.fiveWhys.some((w) => w.trim() === '')) {
    throw reject.invalid('INVALID_FIVE_WHYS', 'fiveWhys needs at least one non-empty answer');
  }
  nonEmpty(a.rootCause, 'rootCause');
  nonEmpty(a.fix, 'fix');
  return a;
}

function nonEmpty(value: string, field: string): string {
  if (value.trim() === '') throw reject.invalid('EMPTY_FIELD', `${field} must not be empty`);
  return value;
}

function openItems(state: Known): number {
  return Object.values(state.actionItems).filter((i) => !i.completedAt).length;
}
