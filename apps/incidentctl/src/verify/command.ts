import { streamIdArg } from '../cli/arguments';
import { keyFileFrom } from '../cli/config';
import type { CommandModule } from '../cli/context';
import { ExitCode, notFound, usageError } from '../cli/exit-codes';
import { readCheckpoint } from '../checkpoint/file';
import { loadVerifyingKey } from '../checkpoint/keys';
import { verifyAgainst } from '../checkpoint/verify-against';
import { jsonText } from '../output/table';
import { verifyText } from './render';
import { verifyLog } from './verify-log';

interface VerifyOptions {
  stream?: string;
  against?: string;
  keyFile?: string;
  json?: boolean;
}

export const verifyCommand: CommandModule = (program, ctx, done) => {
  program
    .command('verify')
    .description('prove the log unaltered: every hash chain and the global sequence, optionally against a signed checkpoint')
    .option('--stream <id>', 'only this stream (a bare uuid means incident-<uuid>)', streamIdArg)
    .option('--against <file>', 'also prove that the log still extends this checkpoint unchanged')
    .option('--key-file <pem>', 'the trusted key for --against: public or private PEM (default: $INCIDENT_CHECKPOINT_KEY_FILE)')
    .option('--json', 'machine output: the report with every check and the first broken stream, version and position')
    .addHelpText('after', '\nExit 0 when everything checked holds, 1 naming the first broken stream and position otherwise.')
    .action(async (opts: VerifyOptions) => {
      if (opts.against) {
        if (opts.stream) throw usageError('--against checks the whole log; it cannot be combined with --stream');
        const doc = readCheckpoint(opts.against);
        const keyFile = keyFileFrom(opts.keyFile, ctx.io.env);
        if (!keyFile) throw usageError('--against needs the key the checkpoint is trusted under: --key-file or INCIDENT_CHECKPOINT_KEY_FILE (the public key suffices)');
        const trusted = loadVerifyingKey(keyFile);
        const report = await ctx.withLog((log) => verifyAgainst(log, doc, trusted, ctx.io.stderr));
        ctx.out(opts.json ? jsonText(report) : verifyText(report, `verified the log in schema ${report.schema} against checkpoint ${opts.against} of ${doc.createdAt}`));
        return done(report.ok ? ExitCode.ok : ExitCode.failed);
      }
      const report = await ctx.withLog(async (log) => {
        const r = await verifyLog(log, opts.stream, ctx.io.stderr);
        // "ok, 0 streams" for a stream that does not exist would read like a clean bill of health.
        if (opts.stream && r.ok && r.counted?.streams === 0) throw notFound(`no stream ${opts.stream} in the log`);
        return r;
      });
      ctx.out(opts.json ? jsonText(report) : verifyText(report));
      done(report.ok ? ExitCode.ok : ExitCode.failed);
    });
};
