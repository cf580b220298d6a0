import { randomUUID } from 'node:crypto';
import type { PostmortemDeps } from '../log/postmortem-log';
import { draftPostmortemHandler } from './draft-postmortem';

const INCIDENT = '6f1c1a52-5d8e-4b0e-9a51-0f1f7a9e2c11';
const { schema } = draftPostmortemHandler({} as PostmortemDeps, 'incidents.incidents.v1');

function envelope(type: string, payload: Record<string, unknown>) {
  return {
    id: randomUUID(), streamId: `incident-${INCIDENT}`, streamVersion: 7, globalPosition: '70', type, schemaVersion: 1,
    occurredAt: '2025-12-24T15:20:00.000Z', recordedAt: '2025-12-24T15:20:00.100Z', payload, metadata: {},
  };
}

describe('incident events as the postmortem service takes them', () => {
  it('takes an event its contract accepts', () => {
    expect(schema.safeParse(envelope('NoteAdded', { at: '2025-12-24T15:20:00.000Z', actor: 'oncall', noteId: 'n-1', text: 'Fix deployed' })).success).toBe(true);
  });

  it('refuses one its contract does not, naming the field, so it goes to the dead letters and never into a draft', () => {
    const parsed = schema.safeParse(envelope('NoteAdded', { at: '2025-12-24T15:20:00.000Z', actor: 'oncall', noteId: 'n-1' }));
    expect(parsed.error?.issues).toEqual([expect.objectContaining({ path: ['payload', 'text'], message: expect.stringMatching(/^NoteAdded v1: /) })]);
  });
});
