import { api, type ApiResponse, eventually, incidentState, incidentsOf, sendSignals, uniqueSource } from './support/stack';

// Issue 4 acceptance, part 4, through the running services: after resolution the postmortem
// markdown holds the timeline entries in order, the duration, the 5 Whys and the action items
// that were recorded; and a responder command sent with a stale expected version gets 409.

const MINUTE = 60_000;

// The playbook's own 5 Whys for the code-review agent's timeout.
const FIVE_WHYS = [
  'Why did the agent timeout? Because it took > 300 seconds to respond',
  'Why did it take so long? Because the Claude API call was slow (280s)',
  'Why was the API call slow? Because we sent a 50,000 token prompt',
  'Why did we send such a large prompt? Because the code-reviewer agent included entire codebase in context',
  'Why did it include the entire codebase? File globbing pattern `**/*` matched all files including node_modules (500MB)',
];

interface PostmortemJson {
  revision: number;
  postmortem: { duration: string; incidentVersion: number; timeline: { what: string }[]; actionItems: { title: string }[] };
}

/** Sends a responder command at the incident's current version, reading it again when something else moved it first. */
async function command(id: string, path: string, body: object): Promise<ApiResponse<{ version: number; error?: string }>> {
  for (let attempt = 0; ; attempt++) {
    const { body: state } = await incidentState(id);
    const res = await api<{ version: number; error?: string }>('POST', `/v1/incidents/${id}/${path}`, { json: { ...body, expectedVersion: state.version } });
    if (res.status === 409 && res.body.error === 'stale_version' && attempt < 10) continue;
    expect([path, res.status]).toEqual([path, path === 'notes' || path === 'action-items' ? 201 : 200]);
    return res;
  }
}

describe('postmortem: drafted from the recorded history once the incident resolves', () => {
  it('holds the timeline in order, the duration, the 5 Whys and the action items; a stale expected version gets 409; a responder declares it final', async () => {
    const source = uniqueSource('code-review-agent');
    const t0 = Date.now() - 6 * MINUTE;
    await sendSignals(
      Array.from({ length: 12 }, (_, i) => ({
        id: `${source}-timeout-${i}`, source, component: 'agent:code-review', level: 'ERROR', errorCode: 'ETIMEDOUT', durationMs: 300_000,
        message: 'Error: Agent execution timed out after 300000ms', userId: `user-${i % 4}`, timestamp: new Date(t0 + i * 10_000).toISOString(),
        attributes: { task: 'code-review', conversationId: 'abc-123-def', promptTokens: 50_000 },
      })),
    );
    const [incident] = await eventually(async () => {
      const found = await incidentsOf(source, 'timeout');
      return found[0]?.signalCount === 12 ? found : undefined;
    }, 60_000, 'the timeout incident with its 12 signals');
    const id = incident.id;

    const stale = await api<{ error: string; actualVersion: number }>('POST', `/v1/incidents/${id}/acknowledge`, { json: { expectedVersion: 1 } });
    expect(stale).toMatchObject({ status: 409, body: { error: 'stale_version', actualVersion: expect.any(Number) } });
    expect(stale.body.actualVersion).toBeGreaterThan(1);

    await command(id, 'acknowledge', {});
    await command(id, 'status', { status: 'identified' });
    await command(id, 'notes', { text: 'Excluded node_modules from the glob and capped prompts at 20,000 tokens' });
    await command(id, 'root-cause', {
      fiveWhys: FIVE_WHYS,
      fishbone: { technology: ['Glob pattern included node_modules (500MB)', 'No size limit on prompts'], process: ['No integration tests for large codebases'] },
      rootCause: 'Missing file size validation and glob pattern filtering',
      fix: 'Add file exclusion patterns and max prompt size validation',
    });
    await command(id, 'resolve', { reason: 'timeouts stopped after the glob fix' });
    // After resolution, as the playbook's postmortem meeting would: the postmortem is re-drafted.
    await command(id, 'action-items', { title: 'Add file size validation', priority: 'P0', owner: 'agents-team', dueDate: '2030-01-05' });
    const last = await command(id, 'action-items', { title: 'Add monitoring for agent timeouts', priority: 'P1', owner: 'ops', dueDate: '2030-01-07' });

    const json = await eventually(async () => {
      const res = await api<PostmortemJson>('GET', `/v1/incidents/${id}/postmortem`, { accept: 'application/json' });
      return res.status === 200 && res.body.postmortem.incidentVersion >= last.body.version ? res.body : undefined;
    }, 60_000, 'the postmortem drafted from the whole history');
    // One revision or several: the resolution and the items may reach the service in one batch.
    expect(json.revision).toBeGreaterThanOrEqual(1);

    const res = await api<string>('GET', `/v1/incidents/${id}/postmortem`);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/markdown; charset=utf-8']);
    const md = res.body;
    // The opening and the first failure come first, in either order: the signals reach correlation
    // in any order, so the one that opens the incident may be the earliest (a tie in event time).
    const order = [
      ['Incident opened as SEV-3 (Timeout in', 'First failure signal (ERROR, error code ETIMEDOUT, in agent:code-review)'],
      'Acknowledged by admin',
      'Status investigating → identified by admin',
      'Note from admin: Excluded node_modules from the glob',
      'Root cause recorded by admin: Missing file size validation',
      'Incident resolved by admin: timeouts stopped after the glob fix',
    ].map((entry) => [String(entry), typeof entry === 'string' ? md.indexOf(entry) : Math.max(...entry.map((e) => md.indexOf(e)))] as const);
    expect(md.indexOf('Incident opened as SEV-3')).toBeGreaterThan(md.indexOf('## Timeline (UTC)'));
    expect(md.indexOf('First failure signal')).toBeGreaterThan(md.indexOf('## Timeline (UTC)'));
    for (const [entry, at] of order) expect([entry, at > md.indexOf('## Timeline (UTC)')]).toEqual([entry, true]);
    expect(order.map(([, at]) => at)).toEqual([...order.map(([, at]) => at)].sort((a, b) => a - b));
    expect(md.indexOf('Incident resolved by admin')).toBeLessThan(md.indexOf('## Root Cause'));

    expect(json.postmortem.duration).toMatch(/^\d+ minutes?( \d+ seconds?)?$/);
    expect(md).toMatch(new RegExp(`\\*\\*Duration\\*\\*: \\d\\d:\\d\\d - \\d\\d:\\d\\d UTC \\(${json.postmortem.duration}\\)`));
    expect(md).toContain(['### 5 Whys', ...FIVE_WHYS.map((why, i) => `${i + 1}. ${why}`)].join('\n'));
    expect(md).toContain('**Fix**: Add file exclusion patterns and max prompt size validation');
    expect(md).toContain('- [ ] **P0**: Add file size validation (Owner: agents-team, Due: 2030-01-05)\n- [ ] **P1**: Add monitoring for agent timeouts (Owner: ops, Due: 2030-01-07)');

    // Declared final at the revision read (read again if the service re-drafted it meanwhile).
    const finalized = await eventually(async () => {
      const current = await api<PostmortemJson>('GET', `/v1/incidents/${id}/postmortem`, { accept: 'application/json' });
      const res = await api<{ revision: number; error?: string }>('POST', `/v1/incidents/${id}/postmortem/finalize`, { json: { expectedRevision: current.body.revision } });
      return res.status === 200 ? res.body : undefined;
    }, 30_000, 'the postmortem finalized');
    const final = await api<string>('GET', `/v1/incidents/${id}/postmortem`);
    expect(final.body).toContain(`> Final (revision ${finalized.revision}), declared by admin at `);
    expect((await api<{ error: string }>('POST', `/v1/incidents/${id}/postmortem/finalize`, { json: {} })).body.error).toBe('ALREADY_FINAL');
  });

  it('answers 404 for the postmortem of an open incident, and fills in the status update meanwhile', async () => {
    const source = uniqueSource('plugin-host');
    const at = new Date(Date.now() - MINUTE).toISOString();
    expect((await api('POST', `/v1/signals/logs?source=${source}`, { text: `[${at}] [FATAL] [plugin-server] Error: ECONNREFUSED 127.0.0.1:5432\n  errorCode: ECONNREFUSED\n` })).status).toBe(202);
    const [incident] = await eventually(async () => {
      const found = await incidentsOf(source, 'plugin_crash');
      return found.length > 0 ? found : undefined;
    }, 60_000, 'the plugin_crash incident');
    const pm = await api<{ error: string; message: string }>('GET', `/v1/incidents/${incident.id}/postmortem`);
    expect(pm).toMatchObject({ status: 404, body: { error: 'postmortem_not_drafted', message: expect.stringMatching(/still open/) } });
    const update = await api<string>('GET', `/v1/incidents/${incident.id}/status-update`);
    expect(update.status).toBe(200);
    expect(update.body).toMatch(/^# Incident Alert: plugin_crash in /);
    expect(update.body).toContain('**Status**: Investigating');
    expect(update.body).toContain('## Next Update\nIn ');
  });
});
