import { Injectable } from '@nestjs/common';
import {
  allocationDecider,
  type AllocationEvent,
  allocationStreamId,
  ownEntry,
  periodInYear,
  type Quota,
  type Share,
  shareOf,
  type UnitKind,
} from '@app/domain';
import { Database } from '@app/platform/database';
import { CommandExecutor } from '../command-executor';
import { PlanService } from '../plan/plan.service';

/** A unit that owes monthly reports in a plan year, with its annual task. */
export interface TaskedUnit {
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
  /** The plan row's task, or a school's share of its region's split; null where not assigned. */
  annual: Quota;
  /** The first period it owes a report; null for a school that has not held a published share. */
  owedFrom: string | null;
}

export interface PlanSettings {
  year: number;
  dueDay: number;
  reminderDays: number;
  closed: boolean;
}

export const NOT_ASSIGNED: Quota = { training: null, certified: null, advanced: null, onePlusX: null };

/**
 * A school's task is its share of the region's split; regions never split "advanced", so a school has no
 * task there, and a school the region has not given a share yet has no task at all (not zero).
 */
export const quotaOfShare = (share: Share | null | undefined): Quota =>
  share
    ? { training: share.training, certified: share.certified, advanced: null, onePlusX: share.onePlusX }
    : { ...NOT_ASSIGNED };

/**
 * The period of the first event after which `school` held a share of a published split, folded from the
 * split's stored events (the same rule the allocations read model applies); null when it never did.
 */
export function firstPublishedShare(
  year: number,
  events: { type: string; data: unknown; recordedAt: string }[],
  school: string,
): string | null {
  let state = allocationDecider.initialState();
  for (const event of events) {
    state = allocationDecider.evolve(state, event as unknown as AllocationEvent);
    if (state.status === 'published' && state.shares.has(school))
      return periodInYear(year, new Date(event.recordedAt));
  }
  return null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A year's plan joined to each asked-for unit (all NULL where the unit is unknown); bigints come as text. */
interface LookupRow {
  due_day: number;
  reminder_days: number;
  closed: boolean;
  reporting_from: string;
  owes_from: string | null;
  code: string | null;
  name: string;
  kind: UnitKind;
  parent_code: string | null;
  planned: boolean;
  region_planned: boolean;
  training: string | null;
  certified: string | null;
  advanced: string | null;
  one_plus_x: string | null;
  s_training: string | null;
  s_certified: string | null;
  s_one_plus_x: string | null;
}

/**
 * Who owes reports in a year and what each one's annual task is. Now: from the plan and split read models
 * (set-based, for the month-end burst and dashboards). As of an instant: folded from the plan and split
 * streams, so an auditor sees the task as it stood then.
 */
@Injectable()
export class AnnualTasks {
  constructor(
    private readonly db: Database,
    private readonly plans: PlanService,
    private readonly executor: CommandExecutor,
  ) {}

  /**
   * The year's plan settings (null when no plan is published) and, among `codes`, the units in that plan:
   * its rows, and the city-secondary schools registered under one of its regions.
   */
  async lookup(
    year: number,
    codes: string[],
  ): Promise<{ plan: PlanSettings | null; units: Map<string, TaskedUnit> }> {
    const rows = await this.db.query<LookupRow>(
      `SELECT p.due_day, p.reminder_days, p.closed, COALESCE(p.reporting_from, p.year || '-01') AS reporting_from,
              s.owes_from, u.code, u.name, u.kind, u.parent_code,
              pu.code IS NOT NULL AS planned, rp.code IS NOT NULL AS region_planned,
              pu.training, pu.certified, pu.advanced, pu.one_plus_x,
              s.training AS s_training, s.certified AS s_certified, s.one_plus_x AS s_one_plus_x
         FROM plans p
         LEFT JOIN units u ON u.code = ANY($2::text[])
         LEFT JOIN plan_units pu ON pu.year = p.year AND pu.code = u.code
         LEFT JOIN units r ON r.code = u.parent_code AND r.kind = 'region' AND u.kind = 'city-secondary'
         LEFT JOIN plan_units rp ON rp.year = p.year AND rp.code = r.code
         LEFT JOIN allocation_shares s
                ON s.year = p.year AND s.region_code = u.parent_code AND s.school_code = u.code
               AND s.owes_from IS NOT NULL
        WHERE p.year = $1`,
      [year, codes],
    );
    if (rows.length === 0) return { plan: null, units: new Map() };
    const plan = {
      year,
      dueDay: rows[0].due_day,
      reminderDays: rows[0].reminder_days,
      closed: rows[0].closed,
    };
    const units = new Map<string, TaskedUnit>();
    for (const r of rows) {
      if (r.code === null || !(r.planned || r.region_planned)) continue;
      const annual: Quota = r.planned
        ? {
            training: num(r.training),
            certified: num(r.certified),
            advanced: num(r.advanced),
            onePlusX: num(r.one_plus_x),
          }
        : quotaOfShare(
            r.s_training === null
              ? null
              : {
                  training: Number(r.s_training),
                  certified: Number(r.s_certified),
                  onePlusX: Number(r.s_one_plus_x),
                },
          );
      const owedFrom = r.planned
        ? r.reporting_from
        : r.owes_from === null
          ? null
          : [r.reporting_from, r.owes_from].sort()[1];
      units.set(r.code, {
        code: r.code,
        name: r.name,
        kind: r.kind,
        parentCode: r.parent_code,
        annual,
        owedFrom,
      });
    }
    return { plan, units };
  }

  /** One unit as the plan and its region's split stood at `asOf`; null when it owed no report then. */
  async asOf(
    year: number,
    unit: { code: string; name: string; kind: UnitKind; parentCode: string | null },
    asOf: Date,
  ): Promise<{ plan: PlanSettings; unit: TaskedUnit | null }> {
    const { plan } = await this.plans.load(year, asOf);
    const settings = { year, dueDay: plan.dueDay, reminderDays: plan.reminderDays, closed: plan.closed };
    const row = ownEntry(plan.units, unit.code);
    if (row)
      return { plan: settings, unit: { ...unit, annual: { ...row.quota }, owedFrom: plan.reportingFrom } };
    const region = unit.parentCode ? ownEntry(plan.units, unit.parentCode) : undefined;
    if (unit.kind !== 'city-secondary' || !region || region.kind !== 'region')
      return { plan: settings, unit: null };
    const split = await this.executor.load(allocationStreamId(year, region.code), allocationDecider, {
      asOf,
    });
    // Until the region publishes (下达) its split, its schools have no task.
    const share = split.state.status === 'published' ? shareOf(split.state, unit.code) : null;
    const heldFrom = firstPublishedShare(year, split.events, unit.code);
    const owedFrom = heldFrom === null ? null : [plan.reportingFrom, heldFrom].sort().at(-1)!;
    return { plan: settings, unit: { ...unit, annual: quotaOfShare(share), owedFrom } };
  }
}
