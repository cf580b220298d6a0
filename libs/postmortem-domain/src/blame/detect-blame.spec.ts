import { draftPostmortem } from '../draft/draft-postmortem';
import { agentTimeoutIncident, at, playbookAnalysis } from '../testing/histories';
import { blameIn, postmortemBlame } from './detect-blame';

describe('blame detector (the playbook: "Don\'t blame individuals")', () => {
  it.each([
    ['Root cause: Developer X wrote bad code', 'role-person'],
    ['Alice broke the deploy pipeline on Friday.', 'named-person'],
    ['@jsmith forgot to bump the rate limit.', 'named-person'],
    ['Bob failed to run the migration first.', 'named-person'],
    ['The outage was human error.', 'human-error'],
    ["It was Carol's fault.", 'fault'],
    ['The on-call engineer should have known about the quota.', 'role-person'],
    ['Ops should have known better.', 'named-person'],
    ['The team should have known the limit.', 'should-have-known'],
    ['He forgot to scale the workers.', 'pronoun'],
    ['A careless config change took the API down.', 'judgement'],
  ])('warns on "%s" (%s)', (text, rule) => {
    const [warning] = blameIn(text, 'rootCause.statement');
    expect(warning).toMatchObject({ field: 'rootCause.statement', rule, sentence: text.replace(/^Root cause: /, 'Root cause: ') });
    expect(warning.suggestion.length).toBeGreaterThan(40);
  });

  it.each([
    'Missing code review process for file operations',
    'File globbing pattern `**/*` matched all files including node_modules (500MB)',
    'Deploy broke the build because the lockfile was stale.',
    'The glob pattern caused 300 s timeouts.',
    'No code review caught the issue',
    'Developer added file globbing without testing',
    'Redis ignored the maxmemory setting.',
    'Retries without backoff caused the 429 storm.',
    'The alert should have fired at 5% and did not.',
  ])('does not warn on the system-focused "%s"', (text) => {
    expect(blameIn(text)).toEqual([]);
  });

  it('returns the offending sentence only, not the whole text, once per sentence', () => {
    const text = 'The rollout started at 14:00. Dave broke the config, a careless mistake. The limiter was restored at 14:30.';
    expect(blameIn(text)).toEqual([expect.objectContaining({ sentence: 'Dave broke the config, a careless mistake.', match: 'Dave broke', rule: 'named-person' })]);
  });

  it('keeps version numbers inside their sentence', () => {
    expect(blameIn('Agent 1.4.2 shipped and Erin messed up the rollback.')[0].sentence).toBe('Agent 1.4.2 shipped and Erin messed up the rollback.');
  });

  it('checks every text people wrote into the postmortem, naming where each warning is', () => {
    const history = agentTimeoutIncident()
      .respond(at(45), 'oncall', { kind: 'RecordRootCause', analysis: playbookAnalysis({ fiveWhys: ['Why? Frank forgot to exclude node_modules'], wentPoorly: ['It was human error'] }) })
      .respond(at(46), 'oncall', { kind: 'AddNote', noteId: 'n-9', text: "Honestly this is Grace's fault." });
    const pm = draftPostmortem(history.events);
    if (!pm) throw new Error('expected a postmortem');
    expect(postmortemBlame(pm, history.events).map((w) => [w.field, w.rule])).toEqual([
      ['rootCause.fiveWhys.0', 'named-person'],
      ['wentPoorly.0', 'human-error'],
      ['notes.n-9', 'fault'],
    ]);
  });

  it('finds nothing to warn about in the playbook\'s own postmortem', () => {
    const history = agentTimeoutIncident();
    const pm = draftPostmortem(history.events);
    if (!pm) throw new Error('expected a postmortem');
    expect(postmortemBlame(pm, history.events)).toEqual([]);
  });
});
