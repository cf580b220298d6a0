import { type Signal, SIGNAL_LEVELS, SignalSchema, type SignalLevel } from '@incident/contracts';
import { type InputIssue, type Parsed, zodIssues } from './issues';

// The playbook's log format ("Log Analysis"):
//   [2025-12-24T14:35:22.123Z] [ERROR] [agent:code-review] Rate limit exceeded
//     userId: user-456
//     stack: Error: Rate limit exceeded
//       at callClaude (/app/src/api.ts:45:11)
const HEADER = /^\[([^\]]+)\] \[([A-Z]+)\] \[([^\]]+)\] (.+)$/;
const METADATA = /^ {2}([A-Za-z_][\w.-]*): ?(.*)$/;
const STACK_LINE = /^ {4,}\S/;
const MAX_STACK = 2_000;

/** Metadata keys that map onto signal fields; every other key becomes an attribute. */
const FIELD_KEYS = new Set(['id', 'source', 'userId', 'errorCode', 'durationMs']);

interface Entry {
  line: number;
  timestamp: string;
  level: string;
  component: string;
  message: string;
  metadata: Record<string, string>;
  stack: string[];
}

/**
 * Parses every entry of a log body. All or nothing: one malformed line rejects the body, with
 * each problem's line number, so a publisher never has half a batch stored.
 */
export function parseLogEntries(text: string, defaultSource: string): Parsed<Signal[]> {
  const issues: InputIssue[] = [];
  const entries: Entry[] = [];
  let current: Entry | undefined;
  let inStack = false;

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const header = HEADER.exec(raw);
    if (header) {
      current = { line, timestamp: header[1], level: header[2], component: header[3], message: header[4], metadata: {}, stack: [] };
      entries.push(current);
      inStack = false;
      return;
    }
    if (!current) return void issues.push({ at: `line ${line}`, message: 'expected an entry header "[timestamp] [LEVEL] [component] message"' });
    if (inStack && STACK_LINE.test(raw)) return void current.stack.push(raw.trim());
    const meta = METADATA.exec(raw);
    if (!meta) return void issues.push({ at: `line ${line}`, message: 'expected an indented "key: value" line or a stack line' });
    inStack = meta[1] === 'stack';
    if (inStack) current.stack.push(meta[2]);
    else current.metadata[meta[1]] = meta[2];
  });

  if (entries.length === 0 && issues.length === 0) issues.push({ at: 'line 1', message: 'no log entry found' });
  const signals = entries.map((entry) => toSignal(entry, defaultSource, issues));
  signals.forEach((signal, i) => {
    const checked = SignalSchema.safeParse(signal);
    if (!checked.success) issues.push(...zodIssues(`line ${entries[i].line}`, checked.error));
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: signals };
}

function toSignal(entry: Entry, defaultSource: string, issues: InputIssue[]): Signal {
  const at = `line ${entry.line}`;
  const time = Date.parse(entry.timestamp);
  if (Number.isNaN(time)) issues.push({ at, message: `timestamp "${entry.timestamp}" is not ISO-8601` });
  if (!SIGNAL_LEVELS.includes(entry.level as SignalLevel)) {
    issues.push({ at, message: `level "${entry.level}" is not one of ${SIGNAL_LEVELS.join(', ')}` });
  }
  const { id, source, userId, errorCode, durationMs } = entry.metadata;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(entry.metadata)) if (!FIELD_KEYS.has(key)) attributes[key] = value;
  // A stack is evidence but unbounded; keep its head, where the failing frame is.
  if (entry.stack.length > 0) attributes['stack'] = entry.stack.join('\n').slice(0, MAX_STACK);
  const duration = durationMs === undefined ? undefined : Number(durationMs);
  if (duration !== undefined && !Number.isFinite(duration)) issues.push({ at, message: 'durationMs is not a number' });

  return {
    ...(id ? { id } : {}),
    source: source ?? defaultSource,
    message: entry.message,
    component: entry.component,
    level: entry.level as SignalLevel,
    timestamp: Number.isNaN(time) ? entry.timestamp : new Date(time).toISOString(),
    ...(errorCode ? { errorCode: /^\d+$/.test(errorCode) ? Number(errorCode) : errorCode } : {}),
    ...(userId ? { userId } : {}),
    ...(duration !== undefined && Number.isFinite(duration) ? { durationMs: duration } : {}),
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
  };
}
