import { actorOf, clip, str } from './format';
import type { TimelineEvent } from './timeline';

/** Action item titles by id: ActionItemCompleted names only the id, the title came with ActionItemAdded. */
export type ItemTitles = ReadonlyMap<string, string>;

/**
 * What a responder did, in words that name them ("acknowledged by alice"), or undefined for an
 * event that is not a responder's. Free text (notes, root cause, titles) is cut to one short line.
 */
export function describeResponder(e: TimelineEvent, titles: ItemTitles): string | undefined {
  const p = e.payload;
  const by = actorOf(e, 'unknown');
  switch (e.type) {
    case 'IncidentAcknowledged':
      return `acknowledged by ${by}`;
    case 'NoteAdded':
      return `note by ${by}: ${clip(p['text'])}`;
    case 'ResponseStatusChanged':
      return `status ${str(p['from'])} -> ${str(p['to'])} by ${by}`;
    case 'RootCauseRecorded': {
      const whys = Array.isArray(p['fiveWhys']) ? p['fiveWhys'].length : 0;
      return `root cause recorded by ${by}: ${clip(p['rootCause'])}; fix: ${clip(p['fix'], 80)} (${whys} ${whys === 1 ? 'why' : 'whys'})`;
    }
    case 'ActionItemAdded':
      return `action item ${str(p['priority'])} added by ${by}: ${clip(p['title'])} (owner ${clip(p['owner'], 60)}, due ${str(p['dueDate'])})`;
    case 'ActionItemCompleted': {
      const id = str(p['itemId']);
      return `action item completed by ${by}: ${clip(titles.get(id) ?? id)}`;
    }
    default:
      return undefined;
  }
}

/** Remembers the title of an item as it is added, for the line that completes it. */
export function rememberTitle(titles: Map<string, string>, e: TimelineEvent): void {
  if (e.type !== 'ActionItemAdded') return;
  const { itemId, title } = e.payload;
  if (typeof itemId === 'string' && typeof title === 'string') titles.set(itemId, title);
}
