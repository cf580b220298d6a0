import { TOPICS, Topics } from './topics';

describe('topics', () => {
  it('gives every topic a version suffix so a breaking change gets a new topic', () => {
    for (const name of Object.values(Topics)) expect(name).toMatch(/\.v\d+$/);
  });

  it('lists every named topic exactly once for the infrastructure to create', () => {
    const names = TOPICS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(Object.values(Topics).sort());
  });
});
