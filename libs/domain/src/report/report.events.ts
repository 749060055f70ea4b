import { DomainEvent } from '../shared/decider';
import { Figures } from '../shared/figures';
import type { SignedForm } from './report-signed-form';
import type { ReportScanAttached } from './report-scan';

export type ReportFiguresEntered = DomainEvent<
  'ReportFiguresEntered',
  { revision: number; figures: Figures; note?: string }
>;

/** The hash binds the signature to exactly the figures signed, so a later edit cannot wear it. */
export type ReportSignedByFiller = DomainEvent<
  'ReportSignedByFiller',
  { revision: number; userId: string; name: string; phone: string; figuresHash: string; signedAt: string }
>;

/** The leading-group head's signature is what submits the report to its reviewer. */
/** `signedForm`: the whole form both signed (absent on reports signed before it was recorded). */
export type ReportSubmitted = DomainEvent<
  'ReportSubmitted',
  { revision: number; userId: string; name: string; signedAt: string; signedForm?: SignedForm }
>;

export type ReportAccepted = DomainEvent<
  'ReportAccepted',
  { revision: number; figures: Figures; acceptedAt: string; reason?: string }
>;

export type ReportReturned = DomainEvent<'ReportReturned', { revision: number; reason: string }>;

/** The leading-group head will not sign: back to the filler, whose signature no longer stands. */
export type ReportSignatureRefused = DomainEvent<
  'ReportSignatureRefused',
  { revision: number; userId: string; name: string; reason: string }
>;

/** `revision` is the new revision; the accepted one stays official until this one is accepted. */
export type ReportAmendmentOpened = DomainEvent<
  'ReportAmendmentOpened',
  { revision: number; figures: Figures; reason: string }
>;

export type ReportMarkedOverdue = DomainEvent<'ReportMarkedOverdue', { deadline: string }>;

export type ReportEvent =
  | ReportFiguresEntered
  | ReportSignedByFiller
  | ReportSubmitted
  | ReportAccepted
  | ReportReturned
  | ReportSignatureRefused
  | ReportAmendmentOpened
  | ReportMarkedOverdue
  | ReportScanAttached;

export const reportStreamId = (unitCode: string, period: string): string => `report-${unitCode}-${period}`;
