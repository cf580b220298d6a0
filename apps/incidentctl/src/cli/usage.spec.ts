import { runCli } from '../testing/run-cli';

// None of these reach a database: usage is settled before a connection is opened.
const NO_DATABASE = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
const ID = '3f0c2a9e-5b1d-4c8e-9a7f-0d1e2c3b4a59';

describe('incidentctl usage', () => {
  it('prints help on every command with exit 0, naming the environment and the exit codes at the top', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/DATABASE_URL/);
    expect(top.stdout).toMatch(/3 +infrastructure unreachable/);
    for (const command of [['incidents', 'list'], ['incidents', 'show'], ['timeline'], ['verify'], ['checkpoint'], ['checkpoint', 'keygen'], ['export'], ['projections', 'rebuild'], ['replay'], ['forget']]) {
      const help = await runCli([...command, '--help']);
      expect({ command, code: help.code }).toEqual({ command, code: 0 });
      expect(help.stdout).toMatch(/--json/);
    }
  });

  it.each([
    [['incidents', 'show', 'not-a-uuid'], /must be an incident id/],
    [['incidents', 'show', ID, '--at', '2025-03-01 10:00'], /ISO-8601 date-time with a zone/],
    [['incidents', 'show', ID, '--version', '0'], /at least 1/],
    [['incidents', 'list', '--severity', 'SEV-9'], /SEV-1, SEV-2, SEV-3, SEV-4/],
    [['incidents', 'list', '--status', 'closed'], /open, resolved/],
    [['incidents', 'list', '--limit', 'many'], /whole number/],
    [['export', ID], /--format/],
    [['export', ID, '--format', 'pdf'], /jsonl, md/],
    [['verify', '--unknown'], /unknown option/],
    [['nonsense'], /unknown command/],
    [['checkpoint', 'keygen'], /--out/],
    [['replay', '--from', '2025-03-04T09:00:00Z'], /--to/],
    [['replay', '--from', '2025-03-04T10:00:00Z', '--to', '2025-03-04T09:00:00Z'], /--from must not be after --to/],
    [['replay', '--from', '2025-03-04T09:00:00Z', '--to', '2025-03-04T10:00:00Z', '--rules', 'v7'], /neither a classifier rule set/],
  ])('exits 2 with the reason on stderr for %j', async (args, reason) => {
    const result = await runCli(args, NO_DATABASE);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(reason);
    expect(result.stdout).toBe('');
  });

  it('exits 2 naming the variable when DATABASE_URL is missing or not a postgres URL, or the schema is not an identifier', async () => {
    expect(await runCli(['verify'], {})).toMatchObject({ code: 2, stderr: expect.stringMatching(/DATABASE_URL is not set/) });
    expect(await runCli(['verify'], { DATABASE_URL: 'mysql://x@h/db' })).toMatchObject({ code: 2, stderr: expect.stringMatching(/postgres:\/\//) });
    expect(await runCli(['verify'], { ...NO_DATABASE, EVENT_LOG_SCHEMA: 'Event-Log' })).toMatchObject({ code: 2, stderr: expect.stringMatching(/EVENT_LOG_SCHEMA/) });
  });

  it('exits 2 when a checkpoint is asked for without a key, or verify --against is combined with --stream', async () => {
    expect(await runCli(['checkpoint', '--out', '/tmp/x.json'], NO_DATABASE)).toMatchObject({ code: 2, stderr: expect.stringMatching(/no signing key/) });
    expect(await runCli(['verify', '--against', 'cp.json', '--stream', ID], NO_DATABASE)).toMatchObject({ code: 2, stderr: expect.stringMatching(/cannot be combined/) });
  });

  it('exits 3 when PostgreSQL cannot be reached', async () => {
    const result = await runCli(['verify'], NO_DATABASE);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/cannot reach PostgreSQL at nobody@127\.0\.0\.1:1\/none/);
  });

  it('keeps `incidents show --version N` for the stream version, apart from incidentctl --version', async () => {
    const version = await runCli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
    // Parsed as the stream version, so the run goes on to the database (unreachable here).
    expect((await runCli(['incidents', 'show', ID, '--version', '3'], NO_DATABASE)).code).toBe(3);
  });
});
