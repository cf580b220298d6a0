import { incidentIdArg } from '../cli/arguments';
import type { CommandModule } from '../cli/context';
import { ExitCode, notFound } from '../cli/exit-codes';
import { readIncident } from '../incidents/read-incidents';
import { jsonText } from '../output/table';
import { timelineOf, timelineText } from './timeline';

export const timelineCommand: CommandModule = (program, ctx, done) => {
  program
    .command('timeline')
    .description('an incident\'s human timeline: every decision with its rule or policy version, inputs and actor')
    .argument('<id>', 'incident id (uuid, or incident-<uuid>)', incidentIdArg)
    .option('--json', 'machine output: {incidentId, version, entries}')
    .action(async (id: string, opts: { json?: boolean }) => {
      const events = await ctx.withLog((log) => readIncident(log, id));
      if (events.length === 0) throw notFound(`no incident ${id} in the log`);
      const timeline = timelineOf(id, events);
      ctx.out(opts.json ? jsonText(timeline) : timelineText(timeline));
      done(ExitCode.ok);
    });
};
