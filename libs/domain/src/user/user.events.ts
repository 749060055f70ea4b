import { Role } from '../shared/actor';
import { DomainEvent } from '../shared/decider';

/** Never a password or its hash: credentials live outside the ledger, which is kept forever. */
export type UserCreated = DomainEvent<
  'UserCreated',
  { username: string; displayName: string; role: Role; unitCode: string }
>;
export type UserDisabled = DomainEvent<'UserDisabled', { reason?: string }>;
/** Only the fact: who changed it and when is in the event metadata. */
export type UserPasswordChanged = DomainEvent<'UserPasswordChanged', Record<string, never>>;

export type UserEvent = UserCreated | UserDisabled | UserPasswordChanged;

/** Usernames are case-insensitive: "ZhangSan" and "zhangsan" are one account and one stream. */
export const normalizeUsername = (username: string): string => username.trim().toLowerCase();

export const userStreamId = (username: string): string => `user-${normalizeUsername(username)}`;
