import type { Command } from '@app/domain';

/**
 * A domain command as its caller states it (the controller builds it from the DTO): the use case stamps
 * the instant (`at`) and adds to `data` what only it can read (`Added`, e.g. what the plan knows).
 */
export type Stated<C extends Command, Added extends keyof C['data'] = never> = Omit<C, 'at' | 'data'> & {
  data: Omit<C['data'], Added>;
};
