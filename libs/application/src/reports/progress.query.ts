import { Injectable } from '@nestjs/common';
import {
  addFigures,
  completionRates,
  deadlineOf,
  DomainError,
  type Figures,
  type Metric,
  METRICS,
  owes,
  parsePeriod,
  type Quota,
  type ReportStatus,
  timeliness,
  type Timeliness,
  zeroFigures,
} from '@app/domain';
import { Clock } from '@app/platform/clock';
import { Database } from '@app/platform/database';
import { progressProjection } from './progress.projection';

export interface ProgressRow {
  code: string;
  name: string;
  kind: string;
  annual: Quota;
  /** This month's official figures; null while the month has no accepted report. */
  month: Figures | null;
  cumulative: Figures;
  rate: Record<Metric, number | null>;
  status: ReportStatus;
  timeliness: Timeliness;
  submittedAt: string | null;
  /** Region rows only: the sum of its schools' official figures this month (null: no school registered). */
  schoolsSum?: Figures | null;
}

export interface ProgressView {
  year: number;
  period: string;
  region: string | null;
  deadline: string;
  totals: { annual: Quota; month: Figures; cumulative: Figures; rate: Record<Metric, number | null> };
  units: ProgressRow[];
  /** How far the official figures lag the ledger (they are built by the worker). */
  projection: { name: string; position: number; lag: number };
}

export interface TimelinessView {
  year: number;
  period: string;
  region: string | null;
  deadline: string;
  counts: { onTime: number; late: number; missing: number; pending: number; notOwed: number };
  units: {
    code: string;
    name: string;
    timeliness: Timeliness;
    submittedAt: string | null;
    overdue: boolean;
  }[];
}

const COLUMNS: Record<Metric, string> = {
  training: 'training',
  certified: 'certified',
  advanced: 'advanced',
  onePlusX: 'one_plus_x',
};

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
/** A figure column by its prefix (a_: task, m_: month, c_: cumulative, s_: schools); sums come back as text. */
const column = (row: object, name: string): unknown => (row as Record<string, unknown>)[name];
const figuresOf = (row: object, prefix: string): Figures => {
  const f = zeroFigures();
  for (const m of METRICS) f[m] = Number(column(row, `${prefix}${COLUMNS[m]}`) ?? 0);
  return f;
};
const quotaOf = (row: object, prefix: string): Quota => ({
  training: num(column(row, `${prefix}training`)),
  certified: num(column(row, `${prefix}certified`)),
  advanced: num(column(row, `${prefix}advanced`)),
  onePlusX: num(column(row, `${prefix}one_plus_x`)),
});

/** What both views read of a target unit and its report; figure columns are read through `column`. */
interface TargetRow {
  code: string;
  name: string;
  kind: string;
  owed_from: string | null;
  first_submitted_at: Date | null;
}
interface ProgressDbRow extends TargetRow {
  status: ReportStatus | null;
  has_month: boolean;
  schools: string | null;
}

/**
 * The rows of a view, as a CTE named `target`: the plan's units (province view: a region's schools are
 * inside its row) or one region's schools (their tasks are their shares).
 */
const REPORTING_FROM = `(SELECT COALESCE(reporting_from, year || '-01') FROM plans WHERE year = $1)`;
const TARGET = {
  province: `SELECT pu.code, pu.ordinal, u.name, u.kind,
                    pu.training AS a_training, pu.certified AS a_certified, pu.advanced AS a_advanced,
                    pu.one_plus_x AS a_one_plus_x, ${REPORTING_FROM} AS owed_from
               FROM plan_units pu JOIN units u ON u.code = pu.code WHERE pu.year = $1 AND $3::text IS NULL`,
  region: `SELECT u.code, 0 AS ordinal, u.name, u.kind,
                  s.training AS a_training, s.certified AS a_certified, NULL::bigint AS a_advanced,
                  s.one_plus_x AS a_one_plus_x,
                  CASE WHEN s.owes_from IS NOT NULL THEN GREATEST(${REPORTING_FROM}, s.owes_from) END AS owed_from
             FROM units u
             LEFT JOIN allocation_shares s ON s.year = $1 AND s.region_code = u.parent_code AND s.school_code = u.code
                   AND s.owes_from IS NOT NULL
            WHERE u.parent_code = $3 AND u.kind = 'city-secondary'`,
};

/**
 * Dashboards over official figures only, in a few set-based queries: progress_months (async, built by
 * the worker) for figures, the plan and split tables for tasks, the inline `reports` table for status
 * and timeliness.
 */
@Injectable()
export class ProgressQuery {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async progress(year: number, period: string, region?: string): Promise<ProgressView> {
    const deadline = await this.deadline(year, period, region);
    const rows = await this.db.query<ProgressDbRow>(
      `WITH target AS (${region ? TARGET.region : TARGET.province})
       SELECT t.*, r.status, r.first_submitted_at,
              m.unit_code IS NOT NULL AS has_month,
              m.training AS m_training, m.certified AS m_certified, m.advanced AS m_advanced,
              m.one_plus_x AS m_one_plus_x,
              c.training AS c_training, c.certified AS c_certified, c.advanced AS c_advanced,
              c.one_plus_x AS c_one_plus_x,
              sc.schools, sc.training AS s_training, sc.certified AS s_certified, sc.advanced AS s_advanced,
              sc.one_plus_x AS s_one_plus_x
         FROM target t
         LEFT JOIN reports r ON r.unit_code = t.code AND r.period = $2
         LEFT JOIN progress_months m ON m.unit_code = t.code AND m.period = $2
         LEFT JOIN LATERAL (
           SELECT sum(p.training) AS training, sum(p.certified) AS certified, sum(p.advanced) AS advanced,
                  sum(p.one_plus_x) AS one_plus_x
             FROM progress_months p WHERE p.unit_code = t.code AND p.year = $1 AND p.period <= $2
         ) c ON true
         LEFT JOIN LATERAL (
           SELECT count(*) AS schools, sum(p.training) AS training, sum(p.certified) AS certified,
                  sum(p.advanced) AS advanced, sum(p.one_plus_x) AS one_plus_x
             FROM units s LEFT JOIN progress_months p ON p.unit_code = s.code AND p.period = $2
            WHERE t.kind = 'region' AND s.parent_code = t.code AND s.kind = 'city-secondary'
         ) sc ON true
        ORDER BY t.ordinal, t.code`,
      [year, period, region ?? null],
    );
    const now = this.clock.now();
    const units: ProgressRow[] = rows.map((r) => {
      const annual = quotaOf(r, 'a_');
      const cumulative = figuresOf(r, 'c_');
      const row: ProgressRow = {
        code: r.code,
        name: r.name,
        kind: r.kind,
        annual,
        month: r.has_month ? figuresOf(r, 'm_') : null,
        cumulative,
        rate: completionRates(cumulative, annual),
        status: r.status ?? 'not-started',
        timeliness: timeliness(
          { firstSubmittedAt: r.first_submitted_at ? new Date(r.first_submitted_at).toISOString() : null },
          deadline,
          now,
          owes(r.owed_from, period),
        ),
        submittedAt: r.first_submitted_at ? new Date(r.first_submitted_at).toISOString() : null,
      };
      if (r.kind === 'region') row.schoolsSum = Number(r.schools) > 0 ? figuresOf(r, 's_') : null;
      return row;
    });
    const totals = {
      annual: sumQuotas(units.map((u) => u.annual)),
      month: sumFigures(units.map((u) => u.month ?? zeroFigures())),
      cumulative: sumFigures(units.map((u) => u.cumulative)),
    };
    return {
      year,
      period,
      region: region ?? null,
      deadline: deadline.toISOString(),
      totals: { ...totals, rate: completionRates(totals.cumulative, totals.annual) },
      units,
      projection: await this.lag(),
    };
  }

  async timeliness(year: number, period: string, region?: string): Promise<TimelinessView> {
    const deadline = await this.deadline(year, period, region);
    const rows = await this.db.query<TargetRow & { overdue: boolean }>(
      `WITH target AS (${region ? TARGET.region : TARGET.province})
       SELECT t.code, t.name, t.owed_from, r.first_submitted_at, COALESCE(r.overdue, false) AS overdue
         FROM target t LEFT JOIN reports r ON r.unit_code = t.code AND r.period = $2
        ORDER BY t.ordinal, t.code`,
      [year, period, region ?? null],
    );
    const now = this.clock.now();
    const counts = { onTime: 0, late: 0, missing: 0, pending: 0, notOwed: 0 };
    const key = {
      'on-time': 'onTime',
      late: 'late',
      missing: 'missing',
      pending: 'pending',
      'not-owed': 'notOwed',
    } as const;
    const units = rows.map((r) => {
      const submittedAt = r.first_submitted_at ? new Date(r.first_submitted_at).toISOString() : null;
      const judged = timeliness({ firstSubmittedAt: submittedAt }, deadline, now, owes(r.owed_from, period));
      counts[key[judged]]++;
      return { code: r.code, name: r.name, timeliness: judged, submittedAt, overdue: r.overdue };
    });
    return { year, period, region: region ?? null, deadline: deadline.toISOString(), counts, units };
  }

  /** 404 for a month outside the year, a year with no plan, or a region not in the plan. */
  private async deadline(year: number, period: string, region?: string): Promise<Date> {
    if (parsePeriod(period)?.year !== year) {
      throw new DomainError('NOT_FOUND', `${period} 不在 ${year} 年度计划内`);
    }
    const [plan] = await this.db.query<{ due_day: number; region_found: boolean }>(
      `SELECT p.due_day,
              EXISTS (SELECT 1 FROM plan_units pu JOIN units u ON u.code = pu.code
                       WHERE pu.year = p.year AND pu.code = $2 AND u.kind = 'region') AS region_found
         FROM plans p WHERE p.year = $1`,
      [year, region ?? null],
    );
    if (!plan) throw new DomainError('NOT_FOUND', `${year} 年度计划尚未发布`);
    if (region && !plan.region_found) {
      throw new DomainError('NOT_FOUND', `${year} 年度计划中没有地区 ${region}`);
    }
    return deadlineOf(period, plan.due_day);
  }

  private async lag(): Promise<{ name: string; position: number; lag: number }> {
    const [row] = await this.db.query<{ head: string; position: string | null }>(
      `SELECT (SELECT COALESCE(max(position), 0) FROM events) AS head,
              (SELECT position FROM projection_checkpoints WHERE name = $1) AS position`,
      [progressProjection.name],
    );
    const position = Number(row?.position ?? 0);
    return { name: progressProjection.name, position, lag: Math.max(0, Number(row?.head ?? 0) - position) };
  }
}

const sumFigures = (list: Figures[]): Figures => list.reduce(addFigures, zeroFigures());

/** A total task is assigned where any row's task is; rows with "—" add nothing to it. */
function sumQuotas(list: Quota[]): Quota {
  const total: Quota = { training: null, certified: null, advanced: null, onePlusX: null };
  for (const q of list) {
    for (const m of METRICS) {
      if (q[m] !== null) total[m] = (total[m] ?? 0) + q[m];
    }
  }
  return total;
}
