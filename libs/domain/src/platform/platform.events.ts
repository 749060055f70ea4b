import { DomainEvent } from '../shared/decider';

/** One row of the skilled-talent platform's export: a unit's training person-times for the month. */
export interface PlatformFigure {
  unitCode: string;
  training: number;
}

/** A whole file for one month; a later file for the same month replaces it, and both stay in history. */
export type PlatformFiguresImported = DomainEvent<
  'PlatformFiguresImported',
  { period: string; fileHash: string; figures: PlatformFigure[] }
>;

export type PlatformEvent = PlatformFiguresImported;

export const platformStreamId = (year: number, period: string): string => `platform-${year}-${period}`;
