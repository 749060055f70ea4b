/* Spec-only helpers (they use jest's `expect`): never export them from the domain's index. */
import { Actor } from './actor';
import { Decider, DomainEvent, fold } from './decider';
import { DomainError, DomainErrorCode } from './errors';

/**
 * Given/when/then over a decider: `given(events).when(command).then(events)` or `.thenThrows(code)`.
 * The state is always built by folding the given events, so every test also exercises `evolve`.
 */
export function deciderSpec<C, S, E extends DomainEvent>(decider: Decider<C, S, E>) {
  return {
    given(events: E[]) {
      const state = () => fold(decider, events);
      return {
        when(command: C) {
          const run = () => decider.decide(command, state());
          return {
            then(expected: E[]): void {
              expect(run()).toEqual(expected);
            },
            thenNothing(): void {
              expect(run()).toEqual([]);
            },
            thenThrows(code: DomainErrorCode): DomainError {
              let caught: unknown;
              try {
                run();
              } catch (e) {
                caught = e;
              }
              expect(caught).toBeInstanceOf(DomainError);
              expect((caught as DomainError).code).toBe(code);
              return caught as DomainError;
            },
          };
        },
        thenState(check: (state: S) => void): void {
          check(state());
        },
      };
    },
  };
}

export const actorOf = (role: Actor['role'], unitCode: string, userId = `${role}-${unitCode}`): Actor => ({
  userId,
  username: userId,
  role,
  unitCode,
});
