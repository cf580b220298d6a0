// `npm run demo`: plays the playbook's own incidents against the running platform (`npm start`)
// as signals, works each one as a responder would (acknowledge, notes, status, root cause, action
// items, resolve), waits for the postmortem service to draft each postmortem, and prints each
// incident, its timeline and its postmortem.
//   INCIDENT_BASE_URL   the front door (default http://127.0.0.1:8080)
//   INCIDENT_ADMIN_KEY  the admin key `npm start` printed
import { client, DemoError, eventually } from './client.mjs';
import { agentTimeout, pluginCrashLoop, rateLimitStorm } from './playbook-incidents.mjs';

const base = (process.env.INCIDENT_BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const key = process.env.INCIDENT_ADMIN_KEY;

const rule = (title) => `\n${'═'.repeat(3)} ${title} ${'═'.repeat(Math.max(3, 96 - title.length))}\n`;
const section = (title) => `\n── ${title} ${'─'.repeat(Math.max(3, 96 - title.length))}\n`;

async function play(api, scenario, index, total) {
  const out = [rule(`${index}/${total}  ${scenario.title}`)];
  await scenario.send(api);
  const incident = await eventually(`the ${scenario.type} incident of ${scenario.source} to open`, async () => {
    const { items } = await api.incidents({ service: scenario.source, type: scenario.type, limit: '5' });
    return items[0];
  });
  if (scenario.traffic.length > 0) await api.traffic(scenario.traffic);
  // Correlation counts the signals and measures the traffic asynchronously: let it catch up.
  await eventually('correlation to attach the signals', async () => {
    const state = await api.incident(incident.id);
    const measured = scenario.traffic.length === 0 || state.impact.errorRate === scenario.traffic.at(-1).errors / scenario.traffic.at(-1).requests;
    return measured && state.impact.signalCount > 0 && (await settled(api, incident.id, state.version)) ? state : undefined;
  });
  const progress = [];
  let last;
  for (const [path, body] of scenario.respond) {
    if (path === 'resolve' && index === 1) out.push(section('status update, just before it was resolved'), await api.statusUpdate(incident.id));
    last = await api.command(incident.id, path, body);
    progress.push(path);
  }
  const state = await api.incident(incident.id);
  const pm = await eventually(`the postmortem of incident ${incident.id}`, async () => {
    const res = await api.postmortem(incident.id, 'application/json');
    return res.status === 200 && res.body.postmortem.incidentVersion >= last.version ? res.body : undefined;
  });
  const markdown = (await api.postmortem(incident.id)).body;
  const timeline = await api.timeline(incident.id);
  out.push(
    section('incident'),
    `id        ${state.id}\ntitle     ${state.title}\ntype      ${state.type}   severity ${state.severity}   status ${state.status} (${state.resolution})\n` +
      `impact    ${state.impact.signalCount} signals, ${state.impact.affectedUsers} users, peak error rate ${pct(state.impact.peakErrorRate)}\n` +
      `responder ${progress.join(' → ')}`,
    section(`timeline (GET /v1/incidents/${state.id}/timeline)`),
    timeline.entries.map((e) => e.text).join('\n'),
    section(`postmortem, revision ${pm.revision}, due ${pm.dueAt} (GET /v1/incidents/${state.id}/postmortem)`),
    markdown.trimEnd(),
  );
  return out.join('\n');
}

/** True once the incident's version held still for a moment: the storm's signals are all in. */
async function settled(api, id, version) {
  await new Promise((r) => setTimeout(r, 1_500));
  return (await api.incident(id)).version === version;
}

function pct(rate) {
  return typeof rate === 'number' ? `${(rate * 100).toFixed(1)}%` : 'not measured';
}

async function main() {
  if (!key) {
    throw new DemoError('INCIDENT_ADMIN_KEY is not set.\nStart the platform with `npm start`, then run: INCIDENT_ADMIN_KEY=<the admin key it printed> npm run demo');
  }
  const api = client(base, key);
  await api.preflight();
  const run = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15).toLowerCase();
  const now = Date.now();
  const scenarios = [rateLimitStorm(run, now), agentTimeout(run, now), pluginCrashLoop(run, now)];
  console.log(`Playing the playbook's incidents against ${base} (run ${run}); signals carry event times of the last 15 minutes.`);
  for (const [i, scenario] of scenarios.entries()) console.log(await play(api, scenario, i + 1, scenarios.length));
}

main().catch((error) => {
  console.error(`demo: ${error instanceof DemoError ? error.message : error.stack ?? error}`);
  process.exit(1);
});
