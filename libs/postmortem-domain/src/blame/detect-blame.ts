import type { HistoryEvent } from '../history';
import type { Postmortem } from '../postmortem';
import { BLAME_RULES, type BlameRule, NOT_A_PERSON } from './rules';

/** A sentence that blames a person rather than a system, where it is, and how to say it instead. */
export interface BlameWarning {
  /** Where the text is: a dotted path into the postmortem (`rootCause.fiveWhys.2`), or `notes.<noteId>`. */
  field: string;
  rule: BlameRule;
  /** The whole sentence that blames. */
  sentence: string;
  /** The words that made it blame. */
  match: string;
  suggestion: string;
}

export interface TextField {
  field: string;
  text: string;
}

/** Blaming sentences in each field; one warning per sentence (the first rule that finds it). */
export function detectBlame(fields: readonly TextField[]): BlameWarning[] {
  return fields.flatMap((f) => blameIn(f.text, f.field));
}

export function blameIn(text: string, field = 'text'): BlameWarning[] {
  const found = new Map<string, BlameWarning & { index: number }>();
  for (const def of BLAME_RULES) {
    for (const m of text.matchAll(new RegExp(def.pattern.source, def.pattern.flags))) {
      let start = m.index;
      let match = m[0];
      if (def.namesPerson) {
        const name = m[1];
        if (!name.startsWith('@') && NOT_A_PERSON.has(name)) continue;
        start += m[0].indexOf(name);
        match = m[0].slice(m[0].indexOf(name));
      }
      const sentence = sentenceAt(text, start);
      if (!found.has(sentence)) found.set(sentence, { field, rule: def.rule, sentence, match: match.trim(), suggestion: def.suggestion, index: start });
    }
  }
  return [...found.values()].sort((a, b) => a.index - b.index).map(({ index: _index, ...warning }) => warning);
}

/** The sentence of `text` around `index`: from the last stop (. ! ? or a line break) to the next. */
function sentenceAt(text: string, index: number): string {
  // A stop is punctuation followed by a space, so "1.4.2" or "e.g.x" do not cut a sentence.
  const stops = [...text.slice(0, index).matchAll(/[.!?](?=\s)|\n/g)];
  const start = stops.length === 0 ? 0 : (stops[stops.length - 1].index ?? 0) + 1;
  const rest = text.slice(index).search(/[.!?](?=\s|$)|\n/);
  const end = rest === -1 ? text.length : index + rest + (text[index + rest] === '\n' ? 0 : 1);
  return text.slice(start, end).trim();
}

/** Every text a person wrote into the postmortem: the analysis, action items, resolution, notes. */
export function postmortemTexts(postmortem: Postmortem, history: readonly HistoryEvent[] = []): TextField[] {
  const fields: TextField[] = [];
  const add = (field: string, text: string | undefined | null) => {
    if (text) fields.push({ field, text });
  };
  const list = (prefix: string, items: readonly string[]) => items.forEach((t, i) => add(`${prefix}.${i}`, t));
  const rc = postmortem.rootCause;
  if (rc) {
    add('rootCause.statement', rc.statement);
    add('rootCause.fix', rc.fix);
    list('rootCause.fiveWhys', rc.fiveWhys);
    for (const category of ['people', 'process', 'technology', 'environment'] as const) list(`rootCause.fishbone.${category}`, rc.fishbone[category] ?? []);
  }
  list('contributingFactors', postmortem.contributingFactors);
  list('wentWell', postmortem.wentWell);
  list('wentPoorly', postmortem.wentPoorly);
  list('lessonsLearned', postmortem.lessonsLearned);
  postmortem.actionItems.forEach((item, i) => add(`actionItems.${i}.title`, item.title));
  add('resolution.reason', postmortem.resolution.reason);
  for (const e of history) {
    if (e.type === 'NoteAdded' && typeof e.payload['text'] === 'string') add(`notes.${String(e.payload['noteId'] ?? e.version)}`, e.payload['text']);
  }
  return fields;
}

/** The blame warnings of a drafted postmortem. */
export function postmortemBlame(postmortem: Postmortem, history: readonly HistoryEvent[] = []): BlameWarning[] {
  return detectBlame(postmortemTexts(postmortem, history));
}
