import { Injectable } from '@nestjs/common';
import { reportStreamId } from '@app/domain';
import { Database } from '@app/platform/database';
import type { PlanSettings } from './deadline-calendar';

/** A unit that owes a monthly report for a plan year. */
export interface DueUnit {
  code: string;
  name: string;
  kind: string;
  parentCode: string | null;
  /** The first period it owes (see `owes`); null for a school that never held a published share. */
  owedFrom: string | null;
}

/** What the ledger says of one report stream, as far as deadlines care. */
export interface ReportMark {
  firstSubmittedAt: Date | null;
  overdue: boolean;
}

const NOT_MARKED: ReportMark = { firstSubmittedAt: null, overdue: false };

/**
 * Who owes what, read from PostgreSQL only: the plan tables for the units and the events table for the
 * reports (never the `reports` read model, which may lag or be rebuilding).
 */
@Injectable()
export class DueReports {
  constructor(private readonly db: Database) {}

  /** Plans of open years: a closed year takes no command, the system's overdue marks included. */
  async plans(): Promise<PlanSettings[]> {
    const rows = await this.db.query<{ year: number; due_day: number; reminder_days: number }>(
      'SELECT year, due_day, reminder_days FROM plans WHERE NOT closed ORDER BY year',
    );
    return rows.map((r) => ({ year: r.year, dueDay: r.due_day, reminderDays: r.reminder_days }));
  }

  /**
   * The plan's units plus every city-secondary school registered under one of its regions, each with the
   * first period it owes: the plan's `reportingFrom`, and for a school also the month it first held a
   * share of a published split.
   */
  async unitsOf(year: number): Promise<DueUnit[]> {
    const rows = await this.db.query<{
      code: string;
      name: string;
      kind: string;
      parent_code: string | null;
      owed_from: string | null;
    }>(
      `WITH plan AS (SELECT COALESCE(reporting_from, year || '-01') AS reporting_from FROM plans WHERE year = $1)
       SELECT u.code, u.name, u.kind, u.parent_code, plan.reporting_from AS owed_from
         FROM plan_units pu JOIN units u ON u.code = pu.code CROSS JOIN plan
        WHERE pu.year = $1
       UNION
       SELECT s.code, s.name, s.kind, s.parent_code,
              CASE WHEN a.owes_from IS NOT NULL THEN GREATEST(plan.reporting_from, a.owes_from) END
         FROM plan_units pu
         CROSS JOIN plan
         JOIN units r ON r.code = pu.code AND r.kind = 'region'
         JOIN units s ON s.parent_code = r.code AND s.kind = 'city-secondary'
         LEFT JOIN allocation_shares a ON a.year = $1 AND a.region_code = r.code AND a.school_code = s.code
        WHERE pu.year = $1
       ORDER BY code`,
      [year],
    );
    return rows.map((r) => ({
      code: r.code,
      name: r.name,
      kind: r.kind,
      parentCode: r.parent_code,
      owedFrom: r.owed_from,
    }));
  }

  /**
   * One query for all the streams: the first submission of revision 1 (what timeliness is judged by)
   * and whether an overdue event is already recorded.
   */
  async marks(pairs: { unitCode: string; period: string }[]): Promise<(pair: Pair) => ReportMark> {
    const ids = [...new Set(pairs.map((p) => reportStreamId(p.unitCode, p.period)))];
    const found = new Map<string, ReportMark>();
    if (ids.length > 0) {
      const rows = await this.db.query<{
        stream_id: string;
        first_submitted_at: Date | null;
        overdue: boolean | null;
      }>(
        `SELECT stream_id,
                min((data->>'signedAt')::timestamptz) FILTER (WHERE type = 'ReportSubmitted') AS first_submitted_at,
                bool_or(type = 'ReportMarkedOverdue') AS overdue
           FROM events
          WHERE stream_id = ANY($1::text[])
            AND (type = 'ReportMarkedOverdue' OR (type = 'ReportSubmitted' AND data->>'revision' = '1'))
          GROUP BY stream_id`,
        [ids],
      );
      for (const r of rows) {
        found.set(r.stream_id, {
          firstSubmittedAt: r.first_submitted_at ? new Date(r.first_submitted_at) : null,
          overdue: r.overdue === true,
        });
      }
    }
    return (pair) => found.get(reportStreamId(pair.unitCode, pair.period)) ?? NOT_MARKED;
  }
}

export interface Pair {
  unitCode: string;
  period: string;
}
