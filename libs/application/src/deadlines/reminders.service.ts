import { Injectable, Logger } from '@nestjs/common';
import { owes } from '@app/domain';
import { Clock } from '@app/platform/clock';
import { Database } from '@app/platform/database';
import { latestPassedDeadline, remindablePeriods, type PeriodDeadline } from './deadline-calendar';
import { DueReports, type DueUnit } from './due-reports';
import { type Message, type Recipient, ReminderChannels } from './reminder-channels';
import { digestMessage, type LateSchool, reminderMessage } from './reminder-messages';

export interface ReminderSummary {
  checkedAt: string;
  remindersSent: number;
  digestsSent: number;
  failed: number;
}

type Kind = 'reminder' | 'digest';

/**
 * Reminders to units that have not submitted, `reminderDays` before the deadline, and after a deadline
 * a digest to each region's operators of its schools that were late. Every delivery is claimed in the
 * `reminders` table first, so a retried job or a second worker never sends the same thing twice.
 */
@Injectable()
export class ReminderService {
  private readonly logger = new Logger(ReminderService.name);

  constructor(
    private readonly db: Database,
    private readonly due: DueReports,
    private readonly channels: ReminderChannels,
    private readonly clock: Clock,
  ) {}

  async run(): Promise<ReminderSummary> {
    const now = this.clock.now();
    const summary: ReminderSummary = {
      checkedAt: now.toISOString(),
      remindersSent: 0,
      digestsSent: 0,
      failed: 0,
    };
    for (const plan of await this.due.plans()) {
      const open = remindablePeriods(plan, now);
      const latest = latestPassedDeadline(plan, now);
      if (open.length === 0 && !latest) continue;
      const units = await this.due.unitsOf(plan.year);
      // Only those who owe the month are reminded of it, or listed in a digest as having missed it.
      const owing = (d: PeriodDeadline) => units.filter((u) => owes(u.owedFrom, d.period));
      for (const period of open) await this.remind(owing(period), period, summary);
      if (latest) await this.digest(units, owing(latest), latest, summary);
    }
    return summary;
  }

  private async remind(units: DueUnit[], d: PeriodDeadline, summary: ReminderSummary): Promise<void> {
    const markOf = await this.due.marks(units.map((u) => ({ unitCode: u.code, period: d.period })));
    const waiting = units.filter(
      (u) => markOf({ unitCode: u.code, period: d.period }).firstSubmittedAt === null,
    );
    const users = await this.recipients(
      waiting.map((u) => u.code),
      ['filler', 'leader'],
    );
    for (const unit of waiting) {
      const message = reminderMessage(unit, d.period, d.deadline);
      for (const recipient of users.get(unit.code) ?? [nobody(unit)]) {
        const outcome = await this.send('reminder', unit.code, d.period, recipient, message);
        if (outcome === 'sent') summary.remindersSent++;
        if (outcome === 'failed') summary.failed++;
      }
    }
  }

  private async digest(
    units: DueUnit[],
    owing: DueUnit[],
    d: PeriodDeadline,
    summary: ReminderSummary,
  ): Promise<void> {
    const regions = new Map(units.filter((u) => u.kind === 'region').map((u) => [u.code, u]));
    const schools = owing.filter(
      (u) => u.kind === 'city-secondary' && u.parentCode && regions.has(u.parentCode),
    );
    if (schools.length === 0) return;
    const markOf = await this.due.marks(schools.map((s) => ({ unitCode: s.code, period: d.period })));
    const late = new Map<string, LateSchool[]>();
    for (const school of schools) {
      const { firstSubmittedAt } = markOf({ unitCode: school.code, period: d.period });
      if (firstSubmittedAt !== null && firstSubmittedAt.getTime() < d.deadline.getTime()) continue;
      const list = late.get(school.parentCode!) ?? [];
      list.push({ code: school.code, name: school.name, submittedAt: firstSubmittedAt });
      late.set(school.parentCode!, list);
    }
    const operators = await this.recipients([...late.keys()], ['region-operator']);
    for (const [regionCode, lateSchools] of late) {
      const region = regions.get(regionCode)!;
      const message = digestMessage(region, d.period, d.deadline, lateSchools);
      for (const recipient of operators.get(regionCode) ?? [nobody(region)]) {
        const outcome = await this.send('digest', regionCode, d.period, recipient, message);
        if (outcome === 'sent') summary.digestsSent++;
        if (outcome === 'failed') summary.failed++;
      }
    }
  }

  private async recipients(unitCodes: string[], roles: string[]): Promise<Map<string, Recipient[]>> {
    const byUnit = new Map<string, Recipient[]>();
    if (unitCodes.length === 0) return byUnit;
    const rows = await this.db.query<{ username: string; display_name: string; unit_code: string }>(
      `SELECT username, display_name, unit_code FROM users
        WHERE unit_code = ANY($1::text[]) AND role = ANY($2::text[]) AND NOT disabled
        ORDER BY unit_code, username`,
      [unitCodes, roles],
    );
    for (const r of rows) {
      const list = byUnit.get(r.unit_code) ?? [];
      list.push({ id: r.username, displayName: r.display_name });
      byUnit.set(r.unit_code, list);
    }
    return byUnit;
  }

  /**
   * Claim first, deliver second: at most once per (unit, month, kind, recipient), whatever retries. A
   * delivery the channel refused (an error is on record) may be claimed again by a later run.
   */
  private async send(
    kind: Kind,
    unitCode: string,
    period: string,
    recipient: Recipient,
    message: Message,
  ): Promise<'sent' | 'skipped' | 'failed'> {
    const route = this.channels.route(recipient);
    const claimed = await this.db.query(
      `INSERT INTO reminders (unit_code, period, kind, channel, recipient, address, sent_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (unit_code, period, kind, recipient) DO UPDATE
          SET channel = EXCLUDED.channel, address = EXCLUDED.address, sent_at = EXCLUDED.sent_at, error = NULL
        WHERE reminders.error IS NOT NULL AND reminders.delivered_at IS NULL
       RETURNING unit_code`,
      [unitCode, period, kind, route.channel, recipient.id, route.address, this.clock.now()],
    );
    if (claimed.length === 0) return 'skipped';
    try {
      await this.channels.deliver(route, recipient, message);
      await this.mark(kind, unitCode, period, recipient, 'delivered_at = $5', this.clock.now());
      return 'sent';
    } catch (error) {
      this.logger.warn({ msg: 'reminder not delivered', kind, unitCode, period, err: String(error) });
      await this.mark(kind, unitCode, period, recipient, 'error = $5', String(error).slice(0, 500));
      return 'failed';
    }
  }

  private async mark(
    kind: Kind,
    unitCode: string,
    period: string,
    r: Recipient,
    set: string,
    value: unknown,
  ) {
    await this.db.query(
      `UPDATE reminders SET ${set} WHERE unit_code = $1 AND period = $2 AND kind = $3 AND recipient = $4`,
      [unitCode, period, kind, r.id, value],
    );
  }
}

/** A unit without accounts is still reminded on record (in the log), so the province sees who was told. */
const nobody = (unit: { code: string; name: string }): Recipient => ({
  id: `unit:${unit.code}`,
  displayName: unit.name,
});
