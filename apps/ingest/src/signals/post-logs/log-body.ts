import type { Signal } from '@incident/contracts';
import { type Parsed, parseLogEntries } from '@incident/signal-intake';
import { withinBatchLimit } from '../http/batch-limit';

const NO_SOURCE =
  'no source: add a "source: <service>" line to this entry or pass ?source=<service> on the URL';

/**
 * A `text/plain` body in the playbook's log format. Each entry's source is its `source:`
 * metadata line, else the `?source=` query; an entry with neither is a 400 that says so.
 */
export function parseLogBody(
  text: unknown,
  sourceQuery: unknown,
): Parsed<Signal[]> {
  if (
    sourceQuery !== undefined &&
    (typeof sourceQuery !== 'string' || sourceQuery.trim() === '')
  ) {
    return {
      ok: false,
      issues: [
        {
          at: 'query.source',
          message: 'must be given once, as a non-empty service name',
        },
      ],
    };
  }
  const parsed = parseLogEntries(
    typeof text === 'string' ? text : '',
    sourceQuery?.trim() ?? '',
  );
  if (parsed.ok || sourceQuery !== undefined)
    return withinBatchLimit(parsed, 'log entries');
  // Without a query the default source is empty, which the schema reports as "too small":
  // say what the publisher has to do instead.
  const issues = parsed.issues.map((issue) =>
    /^line \d+\.source$/.test(issue.at) && /too small/i.test(issue.message)
      ? { at: issue.at, message: NO_SOURCE }
      : issue,
  );
  return { ok: false, issues };
}
