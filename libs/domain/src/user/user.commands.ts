import { Role } from '../shared/actor';
import { Command } from '../shared/decider';

export type CreateUser = Command<
  'CreateUser',
  { username: string; displayName: string; role: Role; unitCode: string }
>;
export type DisableUser = Command<'DisableUser', { reason?: string }>;
export type ChangePassword = Command<'ChangePassword', Record<string, never>>;

export type UserCommand = CreateUser | DisableUser | ChangePassword;
