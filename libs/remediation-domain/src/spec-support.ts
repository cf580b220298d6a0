import { RemediationCommandRejected } from './errors';

/**
 * Given events / when command / then events, for any decider (STYLE.md 12): the state is the fold
 * of the given events, so a spec states history, never hand-built state.
 */
export function specification<C, S, E>(decider: { decide(command: C, state: S): E[]; evolve(state: S, event: E): S; initial: S }) {
  return (given: readonly E[]) => {
    const state = given.reduce(decider.evolve, decider.initial);
    return {
      state,
      when(command: C): E[] {
        return decider.decide(command, state);
      },
      rejects(command: C): RemediationCommandRejected {
        try {
          decider.decide(command, state);
        } catch (error) {
          if (error instanceof RemediationCommandRejected) return error;
          throw error;
        }
        throw new Error('expected the command to be rejected');
      },
    };
  };
}

export function minutesAfter(base: string, n: number): string {
  return new Date(Date.parse(base) + n * 60_000).toISOString();
}

export function secondsAfter(base: string, n: number): string {
  return new Date(Date.parse(base) + n * 1_000).toISOString();
}
