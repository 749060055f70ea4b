import { Command } from '../shared/decider';
import { Figures } from '../shared/figures';
import type { FormAtSignature } from './report-signed-form';
import type { AttachScan } from './report-scan';

/**
 * `periodStart` and `periodInPlan` come from the handler (calendar and plan): the report stream alone
 * does not know whether its month belongs to a published plan.
 */
export type EnterFigures = Command<
  'EnterFigures',
  { figures: Figures; note?: string; periodStart: string; periodInPlan: boolean }
>;
export type SignAsFiller = Command<'SignAsFiller', { name: string; phone: string }>;
/** `form`: the cumulative and task the form shows as it is signed (the handler reads them). */
export type SignAsLeader = Command<'SignAsLeader', { name: string; form?: FormAtSignature }>;
/** The leader declines to sign what the filler signed, saying why. */
export type RefuseSignature = Command<'RefuseSignature', { name: string; reason: string }>;
/** `requireScan`: the plan year's setting, read by the handler; acceptance then needs the sealed form. */
export type ReviewReport = Command<
  'ReviewReport',
  { decision: 'accept' | 'return'; reason?: string; requireScan?: boolean }
>;
export type AmendReport = Command<'AmendReport', { figures: Figures; reason: string }>;
/** Issued by the deadline sweep (SYSTEM_ACTOR) once the deadline has passed. */
export type MarkOverdue = Command<'MarkOverdue', { deadline: string }>;

export type ReportCommand =
  | EnterFigures
  | SignAsFiller
  | SignAsLeader
  | RefuseSignature
  | ReviewReport
  | AmendReport
  | MarkOverdue
  | AttachScan;
