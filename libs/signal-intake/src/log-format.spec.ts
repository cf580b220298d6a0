import { parseLogEntries } from './log-format';

const playbookEntry = `[2025-12-24T14:35:22.123Z] [ERROR] [agent:code-review] Rate limit exceeded
  conversationId: abc-123-def
  userId: user-456
  errorCode: 429
  retryAfter: 12
  stack: Error: Rate limit exceeded
    at callClaude (/app/src/api.ts:45:11)
`;

describe('parseLogEntries (the playbook log format)', () => {
  it('maps the header, the metadata lines and the stack of the playbook example onto a signal', () => {
    const parsed = parseLogEntries(playbookEntry, 'claude-code');
    expect(parsed).toEqual({
      ok: true,
      value: [
        {
          source: 'claude-code',
          component: 'agent:code-review',
          level: 'ERROR',
          message: 'Rate limit exceeded',
          timestamp: '2025-12-24T14:35:22.123Z',
          errorCode: 429,
          userId: 'user-456',
          attributes: {
            conversationId: 'abc-123-def',
            retryAfter: '12',
            stack: 'Error: Rate limit exceeded\nat callClaude (/app/src/api.ts:45:11)',
          },
        },
      ],
    });
  });

  it('reads several entries from one body, keeping symbolic error codes as text', () => {
    const body = `${playbookEntry}[2025-12-24T14:36:00Z] [FATAL] [plugin-server] Error: ECONNREFUSED 127.0.0.1:5432
  errorCode: ECONNREFUSED
  source: plugin-host
`;
    const parsed = parseLogEntries(body, 'claude-code');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.value).toHaveLength(2);
    expect(parsed.value[1]).toMatchObject({ level: 'FATAL', errorCode: 'ECONNREFUSED', source: 'plugin-host' });
  });

  it('rejects the whole body, naming the line, when one line is not in the format', () => {
    const parsed = parseLogEntries(`${playbookEntry}this line has no header\n`, 'svc');
    expect(parsed).toEqual({
      ok: false,
      issues: [{ at: 'line 8', message: expect.stringContaining('indented "key: value"') }],
    });
  });

  it('rejects a level outside FATAL/ERROR/WARN/INFO and a timestamp that is not a date', () => {
    const parsed = parseLogEntries('[yesterday] [DEBUG] [x] hello\n', 'svc');
    expect(parsed.ok).toBe(false);
    const messages = parsed.ok ? [] : parsed.issues.map((i) => `${i.at}: ${i.message}`);
    expect(messages.join('\n')).toMatch(/line 1: timestamp "yesterday"/);
    expect(messages.join('\n')).toMatch(/line 1: level "DEBUG"/);
  });

  it('rejects a body with text before the first header', () => {
    const parsed = parseLogEntries('  orphan: value\n', 'svc');
    expect(parsed).toMatchObject({ ok: false, issues: [{ at: 'line 1' }] });
  });

  it('rejects an empty body', () => {
    expect(parseLogEntries('\n\n', 'svc')).toMatchObject({ ok: false, issues: [{ message: 'no log entry found' }] });
  });
});
