import { positiveIntArg } from '../cli/arguments';
import type { CommandModule } from '../cli/context';
import { PrivilegeError, databaseError } from '../cli/database';
import { ExitCode, usageError } from '../cli/exit-codes';
import { progress } from '../output/progress';
import { count, jsonText, renderFields } from '../output/table';
import { rebuildIncidents } from './rebuild';

/** The read models this command can rebuild; a new projection adds its name and function here. */
const PROJECTIONS = ['incidents'] as const;
const DEFAULT_BATCH = 5000;
const DEFAULT_WAIT_S = 60;

export const projectionsCommand: CommandModule = (program, ctx, done) => {
  const projections = program.command('projections').description('the read models: disposable, rebuilt from the log');

  projections
    .command('rebuild')
    .description('drop a read model and rebuild it from the log, with progress, ending with its count held against the log')
    .argument('[name]', `which read model: ${PROJECTIONS.join(', ')}`, 'incidents')
    .option('--batch-size <n>', `log events per transaction (default ${DEFAULT_BATCH})`, positiveIntArg)
    .option('--wait <seconds>', `how long to wait for a transaction elsewhere that holds the log's read horizon (default ${DEFAULT_WAIT_S})`, positiveIntArg)
    .option('--json', 'machine output: {projection, eventsRead, incidents, incidentsInLog, eventsAboveHorizon, seconds, eventsPerSecond}')
    .addHelpText('after', '\nWrites the read model: connect as incident_app (or the owner); incident_reader is refused (exit 2).\nExit 1 when the rebuilt count does not match the log.')
    .action(async (name: string, opts: { batchSize?: number; wait?: number; json?: boolean }) => {
      if (!(PROJECTIONS as readonly string[]).includes(name)) throw usageError(`no read model "${name}" (known: ${PROJECTIONS.join(', ')})`);
      const config = ctx.config();
      const bar = progress(ctx.io.stderr, `rebuilding ${name}`, 'events');
      let result;
      try {
        const rebuild = {
          batchSize: opts.batchSize ?? DEFAULT_BATCH,
          horizonWaitMs: (opts.wait ?? DEFAULT_WAIT_S) * 1000,
          notice: (text: string) => ctx.err(`incidentctl: ${text}\n`),
        };
        result = await ctx.withLog((log) => rebuildIncidents(log, rebuild, bar), { poolSize: 2 });
      } catch (error) {
        const classified = databaseError(error, config);
        if (classified instanceof PrivilegeError) {
          throw usageError(`projections rebuild writes the read model: connect as incident_app or the owner (${classified.pgMessage} as ${classified.where})`);
        }
        throw classified;
      }
      bar.finish(`${count(result.eventsRead)} events read`);
      const matches = result.incidents === result.incidentsInLog;
      ctx.out(
        opts.json
          ? jsonText({ ...result, matches })
          : renderFields([
              ['read model', `${result.projection} (schema ${config.schema})`],
              ['events read', `${count(result.eventsRead)} in ${count(result.batches)} batches`],
              ['time', `${result.seconds.toFixed(1)} s (${count(result.eventsPerSecond)} events/s)`],
              ['incidents', `${count(result.incidents)} in the read model, ${count(result.incidentsInLog)} in the log: ${matches ? 'match' : 'DIFFERENT'}`],
              ...(result.eventsAboveHorizon > 0
                ? [['not yet readable', `${count(result.eventsAboveHorizon)} events past the read horizon (a transaction still open elsewhere); run again once it ends`] as const]
                : []),
            ]),
      );
      done(matches ? ExitCode.ok : ExitCode.failed);
    });
};
