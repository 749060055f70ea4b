import { Injectable } from '@nestjs/common';
import { DomainError, parsePeriod, reconcile } from '@app/domain';
import { Database } from '@app/platform/database';
import { PlanService } from '../plan/plan.service';

/**
 * The skilled-talent platform's monthly training figures and their reconciliation with the official
 * reports (说明 1 of Annex 2: the two must agree). Importing them is `platform.commands.ts`.
 */
@Injectable()
export class PlatformFiguresService {
  constructor(
    private readonly plans: PlanService,
    private readonly db: Database,
  ) {}

  /** Every plan unit and registered school: reported official training against the platform's figure. */
  async reconciliation(year: number, period: string) {
    await this.requirePeriodOfPlan(year, period);
    const codes = await this.unitCodes(year);
    const [reported, platform] = await Promise.all([
      this.reportedTraining(period),
      this.platformTraining(year, period),
    ]);
    return { period, units: reconcile(codes, reported, platform) };
  }

  /** One unit's platform figure and its difference from `training` (the report's figures, shown before signing). */
  async forUnit(year: number, period: string, unitCode: string, training: number | null) {
    const [row] = await this.db.query<{ training: string }>(
      'SELECT training FROM platform_figures WHERE year = $1 AND period = $2 AND unit_code = $3',
      [year, period, unitCode],
    );
    const platform = row ? Number(row.training) : null;
    return { platform, difference: training === null || platform === null ? null : training - platform };
  }

  /** 404 unless the year's plan is published and `period` is one of its months. */
  async requirePeriodOfPlan(year: number, period: string) {
    await this.plans.load(year);
    if (parsePeriod(period)?.year !== year)
      throw new DomainError('NOT_FOUND', `${period} 不在 ${year} 年度计划内`);
  }

  /** The plan's units and the schools registered under its regions, in the plan's order. */
  async unitCodes(year: number): Promise<string[]> {
    const rows = await this.db.query<{ code: string }>(
      `SELECT code FROM (
         SELECT p.code, p.ordinal, NULL::text AS school FROM plan_units p WHERE p.year = $1
         UNION ALL
         SELECT u.code, p.ordinal, u.code FROM units u JOIN plan_units p ON p.code = u.parent_code AND p.year = $1
          WHERE u.kind = 'city-secondary'
       ) all_units ORDER BY ordinal, school NULLS FIRST`,
      [year],
    );
    return rows.map((r) => r.code);
  }

  private async reportedTraining(period: string): Promise<Map<string, number>> {
    const rows = await this.db.query<{ unit_code: string; training: string }>(
      `SELECT unit_code, official_figures->>'training' AS training FROM reports
        WHERE period = $1 AND official_figures IS NOT NULL`,
      [period],
    );
    return new Map(rows.map((r) => [r.unit_code, Number(r.training)]));
  }

  private async platformTraining(year: number, period: string): Promise<Map<string, number>> {
    const rows = await this.db.query<{ unit_code: string; training: string }>(
      'SELECT unit_code, training FROM platform_figures WHERE year = $1 AND period = $2',
      [year, period],
    );
    return new Map(rows.map((r) => [r.unit_code, Number(r.training)]));
  }
}
