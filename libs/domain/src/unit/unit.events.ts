import { DomainEvent } from '../shared/decider';

/** Secondary schools are not in the notice: their region's bureau registers them. */
export type SchoolRegistered = DomainEvent<
  'SchoolRegistered',
  { code: string; name: string; kind: 'city-secondary'; parentCode: string }
>;

export type UnitEvent = SchoolRegistered;

export const unitStreamId = (code: string): string => `unit-${code}`;
