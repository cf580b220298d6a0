import { blameIn } from '../blame/detect-blame';
import { draftPostmortem } from '../draft/draft-postmortem';
import type { Postmortem } from '../postmortem';
import { agentTimeoutIncident, at, IncidentHistory, withPlaybookActionItems } from '../testing/histories';
import { renderMarkdown } from './markdown';

describe('the postmortem as markdown, in the playbook template', () => {
  it('has the template\'s header and sections, in its order', () => {
    const md = renderMarkdown(postmortemOf(withPlaybookActionItems(agentTimeoutIncident())));
    expect(md.startsWith('# Postmortem: Timeout Incident in code-review-agent (2025-12-24)\n')).toBe(true);
    expect(md).toContain('**Date**: 2025-12-24\n**Duration**: 14:35 - 15:15 UTC (40 minutes)\n**Severity**: SEV-2\n**Impact**: 1,200 users, 68.0% peak error rate, 1,200 failure signals\n');
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual([
      '## Summary', '## Timeline (UTC)', '## Root Cause', '## Contributing Factors', '## What Went Well', '## What Went Poorly', '## Action Items', '## Lessons Learned',
    ]);
  });

  it('writes the timeline as bold UTC times, and the 5 Whys, fix and fishbone under the root cause', () => {
    const md = renderMarkdown(postmortemOf(agentTimeoutIncident()));
    expect(md).toContain('- **14:42:00** - Acknowledged by oncall\n- **14:45:00** - Status investigating → identified by oncall\n');
    expect(md).toContain('### 5 Whys\n1. Why did the agent timeout? Because it took > 300 seconds to respond\n2. Why did it take so long?');
    expect(md).toContain('**Fix**: Add file exclusion patterns and max prompt size validation');
    expect(md).toContain('- **Technology**: Glob pattern included node_modules (500MB); No size limit on prompts; No timeout on file reading');
  });

  it('writes action items as the playbook\'s checklist, ticked when completed', () => {
    const history = withPlaybookActionItems(agentTimeoutIncident()).respond(at(60), 'dev', { kind: 'CompleteActionItem', itemId: 'a-2' });
    const md = renderMarkdown(postmortemOf(history));
    expect(md).toContain('- [ ] **P0**: Add file size validation (Owner: @dev, Due: 2025-12-25)\n- [x] **P0**: Implement max prompt size limit (Owner: @dev, Due: 2025-12-25)\n');
    expect(md).toContain('- [ ] **P2**: Add integration tests with large repos (Owner: @qa, Due: 2026-01-05)');
  });

  it('says what is not recorded yet instead of leaving a section empty', () => {
    const md = renderMarkdown(postmortemOf(new IncidentHistory().opened().signals(2).respond(at(3), 'alice', { kind: 'ResolveIncident', reason: 'restarted' })));
    expect(md).toContain('## Root Cause\n_Not recorded yet._\n');
    expect(md).toContain('## Action Items\n_Not recorded yet._\n');
    expect(md).toContain('**Duration**: 14:35 - 14:38 UTC (3 minutes)');
    expect(md).toContain('**Impact**: 2 users, error rate not measured, 2 failure signals');
  });

  it('heads a draft with its revision and due time, flags it when overdue, and lists the blame warnings', () => {
    const pm = postmortemOf(agentTimeoutIncident());
    const md = renderMarkdown(pm, { revision: 3, overdue: true, blameWarnings: blameIn('Henry broke the glob pattern.', 'rootCause.statement') });
    expect(md).toContain('> Draft revision 3, due 2025-12-25 15:15 UTC (**overdue**).');
    expect(md).toMatch(/## Blameless Review\n> 1 sentence blames a person rather than a system[^\n]*\n\n- `rootCause.statement`: "Henry broke the glob pattern." \(named-person: "Henry broke"\)\. Describe the gap/);
  });

  it('heads a final postmortem with who declared it final and when, instead of a due time', () => {
    const pm = postmortemOf(agentTimeoutIncident());
    const md = renderMarkdown(pm, { revision: 2, overdue: false, blameWarnings: [], finalized: { at: '2025-12-25T13:05:00.000Z', by: 'alice' } });
    expect(md).toContain('> Final (revision 2), declared by alice at 2025-12-25 13:05 UTC.');
    expect(md).not.toContain('Draft revision');
  });

  it('dates the timeline lines of another day', () => {
    const history = new IncidentHistory().opened({ at: '2025-12-24T23:50:00.000Z' }).respond('2025-12-25T00:20:00.000Z', 'alice', { kind: 'ResolveIncident', reason: 'ok' });
    const md = renderMarkdown(postmortemOf(history));
    expect(md).toContain('**Duration**: 2025-12-24 23:50 - 2025-12-25 00:20 UTC (30 minutes)');
    expect(md).toContain('- **2025-12-25 00:20:00** - Incident resolved by alice: ok');
  });
});

function postmortemOf(history: IncidentHistory): Postmortem {
  const pm = draftPostmortem(history.events);
  if (!pm) throw new Error('expected a resolved incident');
  return pm;
}
