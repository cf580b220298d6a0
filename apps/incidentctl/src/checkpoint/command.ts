import { keyFileFrom } from '../cli/config';
import type { CommandModule } from '../cli/context';
import { ExitCode, usageError } from '../cli/exit-codes';
import { count, jsonText, renderFields } from '../output/table';
import { verifyText } from '../verify/render';
import { verifyLog } from '../verify/verify-log';
import { checkpointBody, signCheckpoint } from './document';
import { writeCheckpoint } from './file';
import { loadSigningKey, writeKeyPair } from './keys';
import { digestLog } from './log-digest';

interface CheckpointOptions {
  out?: string;
  keyFile?: string;
  force?: boolean;
  json?: boolean;
}

export const checkpointCommand: CommandModule = (program, ctx, done) => {
  const checkpoint = program
    .command('checkpoint')
    .description('verify the log, then write a signed digest of it to keep outside the database (see verify --against)')
    .option('--out <file>', 'where to write the checkpoint (JSON)')
    .option('--key-file <pem>', 'Ed25519 private key, PEM (default: $INCIDENT_CHECKPOINT_KEY_FILE)')
    .option('--force', 'replace an existing file')
    .option('--json', 'machine output: what was signed, without the per-stream list')
    .addHelpText(
      'after',
      '\nThe checkpoint lists every stream\'s last version and head hash, their Merkle root (RFC 6962, SHA-256) and the\n' +
        'last global position, signed with Ed25519. Make a key pair with "incidentctl checkpoint keygen --out PREFIX".',
    )
    .action(async (opts: CheckpointOptions) => {
      if (!opts.out) throw usageError('checkpoint needs --out FILE');
      const keyFile = keyFileFrom(opts.keyFile, ctx.io.env);
      if (!keyFile) throw usageError('no signing key: --key-file or INCIDENT_CHECKPOINT_KEY_FILE (make one with "incidentctl checkpoint keygen --out PREFIX")');
      const key = loadSigningKey(keyFile);
      const config = ctx.config();
      const result = await ctx.withLog(async (log) => {
        const report = await verifyLog(log, undefined, ctx.io.stderr);
        if (!report.ok) return { report };
        const digest = await digestLog(log);
        return { report, digest };
      });
      if (!result.digest) {
        ctx.out(opts.json ? jsonText({ written: false, verify: result.report }) : `${verifyText(result.report)}not signing a checkpoint of a broken log\n`);
        return done(ExitCode.failed);
      }
      const doc = signCheckpoint(checkpointBody({ ...result.digest, createdAt: new Date().toISOString(), schema: config.schema }), key);
      writeCheckpoint(opts.out, doc, opts.force === true);
      const summary = {
        written: true, file: opts.out, createdAt: doc.createdAt, schema: doc.schema, streamCount: doc.streamCount, eventCount: doc.eventCount,
        lastGlobalPosition: doc.lastGlobalPosition, merkleRoot: doc.merkleRoot, keyId: doc.signature.keyId, snapshot: doc.snapshot,
      };
      ctx.out(
        opts.json
          ? jsonText({ ...summary, verify: result.report })
          : renderFields([
              ['checkpoint', opts.out],
              ['created at', doc.createdAt],
              ['schema', doc.schema],
              ['streams', count(doc.streamCount)],
              ['events', count(doc.eventCount)],
              ['last global position', doc.lastGlobalPosition],
              ['merkle root', doc.merkleRoot],
              ['signed with key', `${doc.signature.keyId} (Ed25519)`],
            ]),
      );
      done(ExitCode.ok);
    });

  checkpoint
    .command('keygen')
    .description('write a new Ed25519 key pair: PREFIX.key.pem (private, mode 0600) and PREFIX.pub.pem (public)')
    .requiredOption('--out <prefix>', 'path prefix of the two files')
    .option('--force', 'replace existing files')
    .option('--json', 'machine output: {privateKeyFile, publicKeyFile, keyId}')
    .addHelpText('after', '\nThe private key is written to its file only, never printed. Keep it away from the database host.')
    .action(async (opts: { out: string; force?: boolean; json?: boolean }) => {
      const files = writeKeyPair(opts.out, opts.force === true);
      ctx.out(
        opts.json
          ? jsonText(files)
          : renderFields([
              ['private key', `${files.privateKeyFile} (sign with: checkpoint --key-file ${files.privateKeyFile})`],
              ['public key', `${files.publicKeyFile} (verify with: verify --against FILE --key-file ${files.publicKeyFile})`],
              ['key id', files.keyId],
            ]),
      );
      done(ExitCode.ok);
    });
};
