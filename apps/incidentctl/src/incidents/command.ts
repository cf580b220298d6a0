import { INCIDENT_TYPES, SEVERITIES } from '@incident/contracts';
import { incidentView } from '@incident/incident-api';
import { incidentIdArg, instantArg, listArg, oneOfArg, positiveIntArg } from '../cli/arguments';
import type { CommandModule } from '../cli/context';
import { ExitCode, notFound } from '../cli/exit-codes';
import { eventRecord } from '../output/events';
import { progress } from '../output/progress';
import { count, jsonText } from '../output/table';
import { type ListFilters, selectIncidents } from './filter';
import { type AsOf, foldAllIncidents, incidentExists, readIncident } from './read-incidents';
import { incidentListText, incidentStateText } from './render';

interface ListOptions extends Partial<ListFilters> {
  json?: boolean;
}

interface ShowOptions {
  at?: Date;
  version?: number;
  json?: boolean;
}

export const incidentsCommand: CommandModule = (program, ctx, done) => {
  const incidents = program.command('incidents').description('list incidents, or show one as of any moment');

  incidents
    .command('list')
    .description('every incident, folded from its own stream in the log (not the read model), newest first')
    .option('--status <list>', 'open, resolved (comma-separated for several)', oneOfArg(['open', 'resolved'] as const))
    .option('--severity <list>', `${SEVERITIES.join(', ')}`, oneOfArg(SEVERITIES))
    .option('--type <list>', `${INCIDENT_TYPES.join(', ')}`, oneOfArg(INCIDENT_TYPES))
    .option('--service <list>', 'the publishing service (the signals\' source)', listArg)
    .option('--limit <n>', 'show at most n (default 50)', positiveIntArg)
    .option('--json', 'machine output: {source, total, matched, items}')
    .action(async (opts: ListOptions) => {
      const filters: ListFilters = { ...opts, limit: opts.limit ?? 50 };
      const views = await ctx.withLog((log) => {
        const bar = progress(ctx.io.stderr, 'folding incident streams', 'incidents');
        return foldAllIncidents(log, bar).then((all) => (bar.finish(`${count(all.length)} incidents folded`), all));
      }, { poolSize: 8 });
      const { matched, items } = selectIncidents(views, filters);
      ctx.out(opts.json ? jsonText({ source: 'log', total: views.length, matched, items }) : incidentListText(items, matched, views.length));
      done(ExitCode.ok);
    });

  incidents
    .command('show')
    .description('one incident\'s state folded from its events, as of a moment or a version, and the events that led there')
    .argument('<id>', 'incident id (uuid, or incident-<uuid>)', incidentIdArg)
    .option('--at <time>', 'the state from the events the log had recorded at that instant (ISO-8601 with zone)', instantArg)
    .option('--version <n>', 'the state after that version of the incident stream', positiveIntArg)
    .option('--json', 'machine output: {incident, events}')
    .addHelpText('after', '\nWith both --at and --version, whichever is earlier. Same semantics as GET /v1/incidents/{id}?at=&version=.')
    .action(async (id: string, opts: ShowOptions) => {
      const asOf: AsOf = { at: opts.at, version: opts.version };
      const { events, exists } = await ctx.withLog(async (log) => {
        const events = await readIncident(log, id, asOf);
        return { events, exists: events.length > 0 || (await incidentExists(log, id)) };
      });
      const view = incidentView(events, asOf);
      if (!exists) throw notFound(`no incident ${id} in the log`);
      if (!view) throw notFound(`incident ${id} had not been opened by then (${describeAsOf(asOf)})`);
      const records = events.map(eventRecord);
      ctx.out(opts.json ? jsonText({ incident: view, events: records }) : incidentStateText(view, records));
      done(ExitCode.ok);
    });
};

function describeAsOf(asOf: AsOf): string {
  return [asOf.at && `recorded at or before ${asOf.at.toISOString()}`, asOf.version && `version ${asOf.version}`].filter(Boolean).join(', ');
}
