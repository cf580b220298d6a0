import type { Log } from '../cli/database';
import type { Output } from '../cli/io';
import { progress, ticking } from '../output/progress';
import { count } from '../output/table';
import { checkGlobalSequence } from './global-sequence';
import type { Broken, CheckResult, VerifyReport } from './report';

/**
 * The whole-log (or one stream's) integrity check: first every hash chain, recomputed from the
 * events and held against its stream head (the event store's verify), then the global sequence.
 * The first failure ends the run: the report names that stream, version and position.
 */
export async function verifyLog(log: Log, streamId: string | undefined, stderr: Output): Promise<VerifyReport> {
  const scope = streamId ?? 'whole log';
  const checks: CheckResult[] = [];
  let counted: VerifyReport['counted'] = null;
  const report = (broken: Broken | null): VerifyReport => ({ ok: broken === null, schema: log.schema, scope, checks, counted, broken });

  const started = Date.now();
  const chain = await ticking(stderr, 'verifying hash chains', log.store.verify(streamId));
  if (!chain.ok) {
    const broken: Broken = {
      check: 'hash chain',
      streamId: chain.streamId,
      streamVersion: chain.streamVersion,
      globalPosition: await positionOf(log, chain.streamId, chain.streamVersion),
      reason: chain.reason,
    };
    checks.push({ name: 'hash chain', ok: false, detail: chain.reason });
    checks.push({ name: 'global sequence', ok: false, skipped: true, detail: 'not run: the hash chain is already broken' });
    return report(broken);
  }
  counted = { streams: chain.streamsChecked, events: chain.eventsChecked };
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  checks.push({
    name: 'hash chain',
    ok: true,
    detail: `${count(chain.streamsChecked)} stream${chain.streamsChecked === 1 ? '' : 's'}, ${count(chain.eventsChecked)} events re-hashed from their canonical form, each linked to the one before and the last held against its stream head (${seconds} s)`,
  });

  const bar = progress(stderr, 'walking the global sequence', 'events');
  const sequence = await checkGlobalSequence(log, streamId, bar);
  if (!sequence.ok) {
    checks.push({ name: 'global sequence', ok: false, detail: sequence.broken.reason });
    return report(sequence.broken);
  }
  const f = sequence.facts;
  bar.finish(`${count(f.events)} events walked`);
  const range = f.firstPosition === null ? 'no events' : `positions ${f.firstPosition}..${f.lastPosition}, ${count(f.unusedPositions)} left unused by rolled-back or conflicting appends`;
  checks.push({
    name: 'global sequence',
    ok: true,
    detail:
      `${count(f.events)} events in position order (${range}); each stream's versions run 1..head exactly once; ` +
      `every event has a position of its own in a committed transaction, so readers following the log deliver it` +
      (f.sequenceBounded ? '; no position beyond the sequence' : ' (the sequence bound was not checked: this role cannot read the sequence)'),
  });
  return report(null);
}

async function positionOf(log: Log, streamId: string, version: number): Promise<string | null> {
  const [row]: { p: string }[] = await log.dataSource.query(
    `SELECT global_position::text AS p FROM ${log.s}.events WHERE stream_id = $1 AND stream_version = $2 ORDER BY global_position LIMIT 1`,
    [streamId, version],
  );
  return row?.p ?? null;
}
