/** The four metrics of the notice, in the order Annex 1 prints them. */
export const METRICS = ['training', 'certified', 'advanced', 'onePlusX'] as const;
export type Metric = (typeof METRICS)[number];

/** Figures completed (a month, a cumulative sum): every metric is a non-negative integer. */
export type Figures = Record<Metric, number>;

/** An annual task: `null` means the notice prints "—" (not assigned), which is never the same as 0. */
export type Quota = Record<Metric, number | null>;

/** Regions split these three among their schools; "advanced" is never assigned to regions. */
export const ALLOCATED_METRICS = ['training', 'certified', 'onePlusX'] as const;
export type AllocatedMetric = (typeof ALLOCATED_METRICS)[number];
export type Share = Record<AllocatedMetric, number>;

export const MAX_FIGURE = 1_000_000_000;

export const zeroFigures = (): Figures => ({ training: 0, certified: 0, advanced: 0, onePlusX: 0 });

export const addFigures = (a: Figures, b: Figures): Figures => ({
  training: a.training + b.training,
  certified: a.certified + b.certified,
  advanced: a.advanced + b.advanced,
  onePlusX: a.onePlusX + b.onePlusX,
});

/** Completion rate in percent with one decimal; `null` where no task is assigned (never 0, Infinity or NaN). */
export function completionRate(cumulative: number, annual: number | null): number | null {
  if (annual === null || annual <= 0) return null;
  return Math.round((cumulative * 1000) / annual) / 10;
}
