import { writeFileSync } from 'node:fs';
import { Streams } from '@incident/contracts';
import { Option } from 'commander';
import { incidentIdArg } from '../cli/arguments';
import type { CommandModule } from '../cli/context';
import { ExitCode, notFound, usageError } from '../cli/exit-codes';
import { TOOL } from '../cli/version';
import { readIncident } from '../incidents/read-incidents';
import { jsonText, renderFields } from '../output/table';
import { verifyLog } from '../verify/verify-log';
import { buildEvidence, evidenceJsonl } from './bundle';
import { evidenceMarkdown } from './markdown';

interface ExportOptions {
  format: 'jsonl' | 'md';
  out?: string;
  json?: boolean;
}

export const exportCommand: CommandModule = (program, ctx, done) => {
  program
    .command('export')
    .description('an incident\'s complete evidence bundle: header, every event with its hashes, final state, timeline, verification')
    .argument('<id>', 'incident id (uuid, or incident-<uuid>)', incidentIdArg)
    .addOption(new Option('--format <format>', 'jsonl (one JSON record per line) or md (a readable report)').choices(['jsonl', 'md']).makeOptionMandatory())
    .option('--out <file>', 'write the bundle here instead of to stdout')
    .option('--json', 'with --out: print what was written as JSON')
    .addHelpText('after', '\nExit 0 when the stream verified, 1 when it did not (the bundle is written either way: it records the failure).')
    .action(async (id: string, opts: ExportOptions) => {
      if (opts.json && !opts.out) throw usageError('--json describes the file written with --out; without --out the bundle itself goes to stdout');
      const streamId = Streams.incident(id);
      const config = ctx.config();
      const { events, verify } = await ctx.withLog(async (log) => {
        const events = await readIncident(log, id);
        if (events.length === 0) throw notFound(`no incident ${id} in the log`);
        return { events, verify: await verifyLog(log, streamId, ctx.io.stderr) };
      });
      const evidence = buildEvidence({ incidentId: id, streamId, schema: config.schema, exportedAt: new Date().toISOString(), tool: TOOL, events, verify });
      const text = opts.format === 'md' ? evidenceMarkdown(evidence) : evidenceJsonl(evidence);
      const ok = verify.ok && evidence.verification.bundle.ok;
      if (!opts.out) {
        ctx.out(text);
        return done(ok ? ExitCode.ok : ExitCode.failed);
      }
      try {
        writeFileSync(opts.out, text);
      } catch (error) {
        throw usageError(`cannot write ${opts.out}: ${(error as Error).message}`);
      }
      const summary = { file: opts.out, format: opts.format, incidentId: id, events: events.length, headHash: evidence.header.headHash, verified: ok };
      ctx.out(opts.json ? jsonText(summary) : renderFields([['wrote', opts.out], ['format', opts.format], ['events', events.length], ['head hash', summary.headHash], ['verified', ok ? 'yes' : 'NO']]));
      done(ok ? ExitCode.ok : ExitCode.failed);
    });
};
