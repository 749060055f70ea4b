import { completionRates } from './report.rules';
import { Figures, Metric, METRICS, Quota } from '../shared/figures';
import { sha256Hex } from '../shared/hash';
import { requireFigures, requireQuota } from '../shared/validation';
import { ReportEvent } from './report.events';

/**
 * The whole form as the leader signed it (Annex 2 prints task, this month, cumulative and rate): later
 * task changes (adjustments, transfers) and later acceptances of earlier months never change it.
 */
export interface SignedForm {
  figures: Figures;
  cumulative: Figures;
  annual: Quota;
  rate: Record<Metric, number | null>;
  /** SHA-256 of the canonical JSON (keys sorted) of figures, cumulative, annual and rate. */
  hash: string;
}

/** What the handler reads around the report when the leader signs: the cumulative shown, the task. */
export interface FormAtSignature {
  cumulative: Figures;
  annual: Quota;
}

/** RFC 8785 for what a form holds (objects of integers, one-decimal rates and nulls): keys sorted. */
const canonical = (value: unknown): string =>
  value !== null && typeof value === 'object'
    ? `{${Object.keys(value)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
        .join(',')}}`
    : JSON.stringify(value);

export function signedFormOf(figures: Figures, context: FormAtSignature): SignedForm {
  const cumulative = requireFigures(context.cumulative, 'form.cumulative');
  const annual = requireQuota(context.annual, 'form.annual');
  const rate = completionRates(cumulative, annual);
  const body = { figures: { ...figures }, cumulative, annual, rate };
  return { ...body, hash: sha256Hex(canonical(body)) };
}

/** The signed form follows the signatures: set by the leader's, void whenever they are. */
export function signedFormAfter(current: SignedForm | null, event: ReportEvent): SignedForm | null {
  switch (event.type) {
    case 'ReportSubmitted':
      return event.data.signedForm ?? null;
    case 'ReportFiguresEntered':
    case 'ReportReturned':
    case 'ReportSignatureRefused':
    case 'ReportAmendmentOpened':
      return null;
    default:
      return current;
  }
}

/** Metrics whose task today differs from the one signed: the printed form says so beneath the table. */
export const taskChangedSince = (signed: SignedForm, today: Quota): Metric[] =>
  METRICS.filter((m) => signed.annual[m] !== today[m]);
