import { addFigures, completionRate, Figures, Metric, METRICS, Quota, zeroFigures } from '../shared/figures';
import { sha256Hex } from '../shared/hash';
import { METRIC_LABELS } from '../shared/validation';

/** Fixed key order, so the same figures always hash the same whatever order the client sent. */
export const canonicalFiguresJson = (f: Figures): string =>
  JSON.stringify({
    training: f.training,
    certified: f.certified,
    advanced: f.advanced,
    onePlusX: f.onePlusX,
  });

export const figuresHash = (f: Figures): string => sha256Hex(canonicalFiguresJson(f));

export type Timeliness = 'pending' | 'on-time' | 'late' | 'missing' | 'not-owed';

/**
 * Judged by the first submission of revision 1: a return by the reviewer must not turn an on-time
 * report into a late one, and an amendment after acceptance is not a new submission.
 */
export function timeliness(
  state: { firstSubmittedAt: string | null },
  deadline: Date,
  now: Date,
  owed = true,
): Timeliness {
  if (state.firstSubmittedAt !== null) {
    return Date.parse(state.firstSubmittedAt) < deadline.getTime() ? 'on-time' : 'late';
  }
  // A month nobody owed is never missing (nor waiting): a report filed anyway is still judged above.
  if (!owed) return 'not-owed';
  return now.getTime() >= deadline.getTime() ? 'missing' : 'pending';
}

/**
 * Whether a unit owes `period`: from the plan's `reportingFrom`, and for a city school also from the
 * first month it held a share of a published split (`owedFrom` null: it has never held one).
 */
export const owes = (owedFrom: string | null, period: string): boolean =>
  owedFrom !== null && period >= owedFrom;

export const cumulativeFigures = (earlierOfficial: Figures[], current: Figures): Figures =>
  [...earlierOfficial, current].reduce(addFigures, zeroFigures());

export const completionRates = (cumulative: Figures, annual: Quota): Record<Metric, number | null> => ({
  training: completionRate(cumulative.training, annual.training),
  certified: completionRate(cumulative.certified, annual.certified),
  advanced: completionRate(cumulative.advanced, annual.advanced),
  onePlusX: completionRate(cumulative.onePlusX, annual.onePlusX),
});

export type ReportWarningCode =
  | 'ONE_PLUS_X_EXCEEDS_CERTIFIED'
  | 'MONTH_ABOVE_HALF_ANNUAL'
  | 'CUMULATIVE_ABOVE_150_PERCENT'
  | 'REGION_DIFFERS_FROM_SCHOOLS';

export interface ReportWarning {
  code: ReportWarningCode;
  message: string;
}

const labels = (metrics: Metric[]) => metrics.map((m) => `“${METRIC_LABELS[m]}”`).join('、');

/**
 * Suspicious but possible figures: the filler explains them, nothing is refused. Only assigned tasks
 * are compared, since "—" means there is no task to be above.
 */
export function reportWarnings(input: {
  figures: Figures;
  cumulative: Figures;
  annual: Quota;
  schoolsSum?: Figures | null;
}): ReportWarning[] {
  const { figures, cumulative, annual, schoolsSum } = input;
  const warnings: ReportWarning[] = [];

  if (figures.onePlusX > figures.certified) {
    warnings.push({
      code: 'ONE_PLUS_X_EXCEEDS_CERTIFIED',
      message: `本月“1+X 证书取证人数”（${figures.onePlusX}）大于“取证人数”（${figures.certified}），请在备注中说明`,
    });
  }

  const aboveHalf = METRICS.filter((m) => annual[m] !== null && figures[m] * 2 > annual[m]);
  if (aboveHalf.length > 0) {
    warnings.push({
      code: 'MONTH_ABOVE_HALF_ANNUAL',
      message: `本月${labels(aboveHalf)}超过年度任务的一半，请核实`,
    });
  }

  const aboveOneAndHalf = METRICS.filter((m) => annual[m] !== null && cumulative[m] * 2 > annual[m] * 3);
  if (aboveOneAndHalf.length > 0) {
    warnings.push({
      code: 'CUMULATIVE_ABOVE_150_PERCENT',
      message: `累计${labels(aboveOneAndHalf)}超过年度任务的 150%，请核实`,
    });
  }

  if (schoolsSum) {
    const differing = METRICS.filter((m) => figures[m] !== schoolsSum[m]);
    if (differing.length > 0) {
      const detail = differing
        .map((m) => `“${METRIC_LABELS[m]}”本级填报 ${figures[m]}，所属学校合计 ${schoolsSum[m]}`)
        .join('；');
      warnings.push({
        code: 'REGION_DIFFERS_FROM_SCHOOLS',
        message: `与所属学校已确认数之和不一致：${detail}`,
      });
    }
  }
  return warnings;
}
