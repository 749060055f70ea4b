/**
 * What the demo year files, decided before anything is sent: which units, which figures, which month
 * on time, late or missing, the one return and the one amendment. Pure, so the test can hold the
 * API's progress and timeliness against it.
 */

export type Metric = 'training' | 'certified' | 'advanced' | 'onePlusX';
export type Figures = Record<Metric, number>;
export type Quota = Record<Metric, number | null>;

export interface PlanUnit {
  code: string;
  kind: string;
  quota: Quota;
}

export interface DemoSchool {
  code: string;
  name: string;
  region: string;
  /** Its part of the region's task, the last school of a region takes the rest. */
  share: number;
}

export interface DemoFiling {
  unit: string;
  period: string;
  timeliness: 'on-time' | 'late' | 'missing';
  figures: Figures;
  /** Returned by the reviewer with this reason, then filed again with `corrected`. */
  returned?: { reason: string; corrected: Figures };
  /** Amended after acceptance (in the next month), accepted again. */
  amended?: { reason: string; figures: Figures };
  /** Accepted by its reviewer; the others wait for review. */
  accepted: boolean;
}

export const DEMO_YEAR = 2024;
export const DEMO_MONTHS = ['2024-01', '2024-02', '2024-03'] as const;
/** The demo's clock once the year is filed: after the March deadline, before April's. */
export const DEMO_NOW = new Date('2024-04-08T02:00:00.000Z');
/** The plan is published before the year, so every unit owes January. */
export const DEMO_SETUP_AT = new Date('2023-12-20T02:00:00.000Z');

export const DEMO_SCHOOLS: DemoSchool[] = [
  { code: 'R01-S1', name: '郑州市电子信息工程学校', region: 'R01', share: 0.4 },
  { code: 'R01-S2', name: '郑州市商业贸易学校', region: 'R01', share: 0.35 },
  { code: 'R01-S3', name: '郑州市财贸学校', region: 'R01', share: 0.25 },
  { code: 'R18-S1', name: '济源职业中专', region: 'R18', share: 0.6 },
  { code: 'R18-S2', name: '济源市高级技工学校', region: 'R18', share: 0.4 },
];

/** Before the deadline of `period` (the 30th), and five days after it. */
export const onTimeAt = (period: string): Date => new Date(`${period}-25T02:00:00.000Z`);
export const lateAt = (period: string): Date => {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(m === 12 ? y + 1 : y, m === 12 ? 0 : m, 5, 2));
};

const MONTH_SHARE = [0.06, 0.075, 0.09];
export const RETURN_REASON = '培训人次与技能人才平台数据不一致，请核对后重报';
export const AMENDMENT_REASON = '补录一月份漏报的校外培训人次';

/**
 * Every region, undergraduate college and provincial school, the first `vocational` higher-vocational
 * colleges, and the demo's city schools: most of the units that report.
 */
export function demoUnits(plan: PlanUnit[], vocational = 30): string[] {
  const byKind = (kind: string) => plan.filter((u) => u.kind === kind).map((u) => u.code);
  return [
    ...byKind('region'),
    ...byKind('undergraduate'),
    ...byKind('provincial-secondary'),
    ...byKind('higher-vocational').slice(0, vocational),
    ...DEMO_SCHOOLS.map((s) => s.code),
  ];
}

/** The school's share of its region's task, as the demo splits it (the last school takes the rest). */
export function schoolShares(plan: PlanUnit[]): Map<string, Quota> {
  const shares = new Map<string, Quota>();
  for (const region of new Set(DEMO_SCHOOLS.map((s) => s.region))) {
    const quota = plan.find((u) => u.code === region)!.quota;
    const schools = DEMO_SCHOOLS.filter((s) => s.region === region);
    const given: Record<string, number> = { training: 0, certified: 0, onePlusX: 0 };
    schools.forEach((school, i) => {
      const part = (metric: 'training' | 'certified' | 'onePlusX') => {
        const total = quota[metric] ?? 0;
        const value = i === schools.length - 1 ? total - given[metric] : Math.floor(total * school.share);
        given[metric] += value;
        return value;
      };
      shares.set(school.code, {
        training: part('training'),
        certified: part('certified'),
        advanced: null,
        onePlusX: part('onePlusX'),
      });
    });
  }
  return shares;
}

function figuresFor(annual: Quota, month: number, k: number): Figures {
  const pace = MONTH_SHARE[month] * (0.8 + (k % 5) * 0.1);
  const training = Math.round((annual.training ?? 0) * pace);
  const certified = Math.round(Math.min(training, (annual.certified ?? 0) * pace * 1.05));
  return {
    training,
    certified,
    advanced: annual.advanced ? Math.round(certified * 0.4) : 0,
    onePlusX: Math.round(certified * 0.15),
  };
}

const plus = (f: Figures, training: number): Figures => ({ ...f, training: f.training + training });

/** Every filing of the demo, January to March, in a fixed order. */
export function demoFilings(plan: PlanUnit[], units = demoUnits(plan)): DemoFiling[] {
  const shares = schoolShares(plan);
  const firstCollege = units.find((u) => u.startsWith('U'));
  const secondCollege = units.filter((u) => u.startsWith('U'))[1];
  const filings: DemoFiling[] = [];
  units.forEach((unit, k) => {
    const annual = shares.get(unit) ?? plan.find((u) => u.code === unit)!.quota;
    DEMO_MONTHS.forEach((period, m) => {
      const missing = m === 2 ? k % 8 === 3 : k % 23 === 7;
      const late = !missing && (k + m) % 6 === 1;
      const figures = figuresFor(annual, m, k);
      const filing: DemoFiling = {
        unit,
        period,
        timeliness: missing ? 'missing' : late ? 'late' : 'on-time',
        figures,
        accepted: !missing && !(m === 2 && k % 10 === 4),
      };
      if (m === 0 && unit === firstCollege)
        filing.returned = { reason: RETURN_REASON, corrected: plus(figures, 12) };
      if (m === 0 && unit === secondCollege) {
        filing.amended = { reason: AMENDMENT_REASON, figures: plus(figures, 25) };
      }
      filings.push(filing);
    });
  });
  return filings;
}

/** The figures that end up official for a filing (none when it is missing or waits for review). */
export function officialFigures(filing: DemoFiling): Figures | null {
  if (!filing.accepted) return null;
  return filing.amended?.figures ?? filing.returned?.corrected ?? filing.figures;
}

/** The skilled-talent platform's training figure: the official one, off by a few for every sixth unit. */
export function platformTraining(filing: DemoFiling, k: number): number | null {
  const official = officialFigures(filing);
  if (!official) return null;
  return official.training + (k % 6 === 0 ? 37 : 0);
}
