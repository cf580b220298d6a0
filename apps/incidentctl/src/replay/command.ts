import { RULE_SETS } from '@incident/classification';
import { POLICIES } from '@incident/incident-domain';
import { instantArg, listArg } from '../cli/arguments';
import type { CommandModule } from '../cli/context';
import { databaseError, PrivilegeError } from '../cli/database';
import { ExitCode, usageError } from '../cli/exit-codes';
import { progress } from '../output/progress';
import { jsonText } from '../output/table';
import { replayText } from './render';
import { runReplay } from './run-replay';
import type { VersionChoice } from './schedule';
import { openScratchLog, type ScratchLog } from './scratch-log';

interface ReplayOptions {
  from: Date;
  to: Date;
  rules?: string;
  source?: string[];
  keep?: boolean;
  json?: boolean;
}

export const replayCommand: CommandModule = (program, ctx, done) => {
  program
    .command('replay')
    .description('re-run the classifier and correlation decisions over the recorded signals in a scratch schema and compare the incidents with the recorded ones')
    .requiredOption('--from <time>', 'first moment of the window (ISO-8601 with a zone; signals recorded at or after it)', instantArg)
    .requiredOption('--to <time>', 'last moment of the window (recorded at or before it)', instantArg)
    .option('--rules <version>', `decide under this version instead of the recorded ones: a classifier rule set (${Object.keys(RULE_SETS).join(', ')}) or a correlation policy (${Object.keys(POLICIES).join(', ')})`)
    .option('--source <names>', 'only these sources (comma-separated)', listArg)
    .option('--keep', 'keep the scratch schema (replay_<hex>) for inspection instead of dropping it')
    .option('--json', 'machine output: the window, versions, both incident lists and the comparison')
    .addHelpText(
      'after',
      `
Reads the log as of one snapshot, read only; writes only to a new replay_<hex> schema, created with
the log's migrations (REPLAY_DATABASE_URL, default DATABASE_URL, must be allowed to create schemas:
the admin that runs migrations). Resolve timers fire at the instants the recorded poller fired.
Exit 0 when the replay reproduces the recorded incidents, or for a what-if (--rules naming a version
that was not recorded) whatever it found; 1 when a replay under the recorded versions differs.`,
    )
    .action(async (opts: ReplayOptions) => {
      if (opts.from.getTime() > opts.to.getTime()) throw usageError('--from must not be after --to');
      const choice = versionChoice(opts.rules);
      const config = ctx.config();
      const scratchUrl = ctx.io.env['REPLAY_DATABASE_URL'] || config.databaseUrl;
      const bar = progress(ctx.io.stderr, 'replaying', 'steps');
      let scratch: ScratchLog | undefined;
      let result;
      try {
        scratch = await openScratchLog(scratchUrl, config.schema);
        const opened = scratch;
        result = await ctx.withLog((log) => runReplay(log, opened, { from: opts.from, to: opts.to, sources: opts.source }, choice, bar), { poolSize: 2 });
      } catch (error) {
        const classified = databaseError(error, { ...config, databaseUrl: scratch ? config.databaseUrl : scratchUrl });
        if (classified instanceof PrivilegeError) {
          throw usageError(`replay creates a scratch schema with the log's migrations: set REPLAY_DATABASE_URL (or DATABASE_URL) to the admin that runs them (${classified.pgMessage} as ${classified.where})`);
        }
        throw classified;
      } finally {
        await scratch?.close({ keep: opts.keep === true }).catch(() => undefined);
      }
      bar.finish(`${result.eventsWritten} events decided again`);
      ctx.out(opts.json ? jsonText(result) : replayText(result, opts.keep === true));
      done(result.comparison.identical || !result.determinismCheck ? ExitCode.ok : ExitCode.failed);
    });
};

function versionChoice(version: string | undefined): VersionChoice {
  if (version === undefined) return {};
  if (RULE_SETS[version]) return { ruleSet: version };
  if (POLICIES[version]) return { policy: version };
  throw usageError(`--rules ${JSON.stringify(version)} is neither a classifier rule set (${Object.keys(RULE_SETS).join(', ')}) nor a correlation policy (${Object.keys(POLICIES).join(', ')})`);
}
