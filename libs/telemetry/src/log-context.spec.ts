import { currentLogFields, incidentIdOfPath, incidentIdOfStream, withLogFields } from './log-context';

const ID = '3f0c8a52-6d1e-4b7a-9c2d-1e5f7a9b0c3d';

describe('log fields of the work in hand', () => {
  it('nests, and is gone outside the work', async () => {
    await withLogFields({ event_id: 'e1', stream_id: `incident-${ID}` }, async () => {
      await Promise.resolve();
      await withLogFields({ incident_id: ID }, async () => {
        expect(currentLogFields()).toEqual({ event_id: 'e1', stream_id: `incident-${ID}`, incident_id: ID });
      });
    });
    expect(currentLogFields()).toEqual({});
  });

  it('finds the incident of incident, remediation and postmortem streams and of API paths', () => {
    expect(incidentIdOfStream(`incident-${ID}`)).toBe(ID);
    expect(incidentIdOfStream(`remediation-${ID}`)).toBe(ID);
    expect(incidentIdOfStream(`postmortem-${ID}`)).toBe(ID);
    expect(incidentIdOfStream('classification-abc')).toBeUndefined();
    expect(incidentIdOfStream(undefined)).toBeUndefined();
    expect(incidentIdOfPath(`/v1/incidents/${ID}/acknowledge`)).toBe(ID);
    expect(incidentIdOfPath(`/v1/incidents/${ID}`)).toBe(ID);
    expect(incidentIdOfPath('/v1/incidents')).toBeUndefined();
  });
});
