import type { KeyObject } from 'node:crypto';
import type { Log } from '../cli/database';
import type { Output } from '../cli/io';
import { count } from '../output/table';
import type { VerifyReport } from '../verify/report';
import { verifyLog } from '../verify/verify-log';
import { type Growth, checkCoverage } from './coverage';
import { type Checkpoint, checkCheckpoint } from './document';

export interface AgainstReport extends VerifyReport {
  checkpoint: { createdAt: string; schema: string; streamCount: number; eventCount: number; lastGlobalPosition: string | null; merkleRoot: string; keyId: string };
  /** What the log gained since the checkpoint, when it still extends it. */
  growth: Growth | null;
}

/**
 * `verify --against`: the file first (signature with the trusted key, root against leaves), then
 * the log as it is now (chains and global sequence), then the one against the other.
 */
export async function verifyAgainst(log: Log, doc: Checkpoint, trusted: KeyObject, stderr: Output): Promise<AgainstReport> {
  const checkpoint = {
    createdAt: doc.createdAt, schema: doc.schema, streamCount: doc.streamCount, eventCount: doc.eventCount,
    lastGlobalPosition: doc.lastGlobalPosition, merkleRoot: doc.merkleRoot, keyId: doc.signature.keyId,
  };
  const signature = checkCheckpoint(doc, trusted);
  if (!signature.ok) {
    return {
      ok: false, schema: log.schema, scope: 'whole log', checkpoint, growth: null, counted: null,
      checks: [{ name: 'checkpoint signature', ok: false, detail: signature.reason }],
      broken: { check: 'checkpoint signature', streamId: '(checkpoint file)', streamVersion: 0, globalPosition: null, reason: signature.reason },
    };
  }
  const sigCheck = {
    name: 'checkpoint signature',
    ok: true,
    detail: `Ed25519 signature valid for trusted key ${signature.keyId}; Merkle root ${doc.merkleRoot.slice(0, 16)}… recomputed from the ${count(doc.streamCount)} streams listed`,
  };
  const now = await verifyLog(log, undefined, stderr);
  const checks = [sigCheck, ...now.checks];
  if (!now.ok) return { ...now, checks, checkpoint, growth: null };
  const coverage = await checkCoverage(log, doc);
  if (!coverage.ok) {
    checks.push({ name: 'checkpoint coverage', ok: false, detail: coverage.broken.reason });
    return { ...now, ok: false, checks, broken: coverage.broken, checkpoint, growth: null };
  }
  const g = coverage.growth;
  checks.push({
    name: 'checkpoint coverage',
    ok: true,
    detail:
      `all ${count(doc.streamCount)} streams still have the checkpointed hash at the checkpointed version; the ${count(doc.eventCount)} events ` +
      `it covered (up to global position ${doc.lastGlobalPosition ?? '-'}) are all there and nothing was added among them; ` +
      `since then: ${count(g.events)} events appended, ${count(g.newStreams)} new streams`,
  });
  return { ...now, checks, checkpoint, growth: g };
}
