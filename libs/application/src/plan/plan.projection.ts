import type { Projection, StoredAs } from '@app/event-store';
import type { PlanEvent } from '@app/domain';

/** What the year's life events change in `plans`: the reporting start ($3), or whether it is closed ($4). */
function yearChange(event: StoredAs<PlanEvent>): [string | null, boolean | null] | undefined {
  switch (event.type) {
    case 'ReportingStartMoved':
      return [event.data.to, null];
    case 'PlanYearClosed':
      return [null, true];
    case 'PlanYearReopened':
      return [null, false];
    default:
      return undefined;
  }
}

/** The current plan of each year and every unit's current task (what deadlines, progress and rates read). */
export const planProjection: Projection = {
  name: 'plans',
  handles: [
    'PlanPublished',
    'PlanQuotaAdjusted',
    'ReportingStartMoved',
    'PlanYearClosed',
    'PlanYearReopened',
  ],
  tables: ['plans', 'plan_units'],
  async apply(tx, stored) {
    const event = stored as StoredAs<PlanEvent>;
    const year = Number(event.streamId.slice('plan-'.length));
    if (event.type === 'PlanPublished') {
      const d = event.data;
      await tx.query(
        `INSERT INTO plans (year, version, file_hash, due_day, reminder_days, published_at, reporting_from)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          year,
          event.streamPosition,
          d.fileHash,
          d.dueDay,
          d.reminderDays,
          event.recordedAt,
          d.reportingFrom ?? `${year}-01`,
        ],
      );
      const units = d.units;
      await tx.query(
        `INSERT INTO plan_units (year, code, ordinal, training, certified, advanced, one_plus_x)
         SELECT $1, * FROM unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])`,
        [
          year,
          units.map((u) => u.code),
          units.map((_, i) => i + 1),
          units.map((u) => u.quota.training),
          units.map((u) => u.quota.certified),
          units.map((u) => u.quota.advanced),
          units.map((u) => u.quota.onePlusX),
        ],
      );
      return;
    }
    const life = yearChange(event);
    if (life) {
      await tx.query(
        `UPDATE plans SET version = $2, reporting_from = COALESCE($3, reporting_from), closed = COALESCE($4, closed)
          WHERE year = $1`,
        [year, event.streamPosition, ...life],
      );
      return;
    }
    if (event.type !== 'PlanQuotaAdjusted') return;
    const q = event.data.to;
    await tx.query(
      `UPDATE plan_units SET training = $3, certified = $4, advanced = $5, one_plus_x = $6 WHERE year = $1 AND code = $2`,
      [year, event.data.unitCode, q.training, q.certified, q.advanced, q.onePlusX],
    );
    await tx.query('UPDATE plans SET version = $2 WHERE year = $1', [year, event.streamPosition]);
  },
};
