import { Injectable } from '@nestjs/common';
import { Database } from '@app/platform/database';

export interface ReminderRecord {
  unitCode: string;
  unitName: string | null;
  period: string;
  kind: 'reminder' | 'digest' | 'scan';
  channel: string;
  recipient: string;
  address: string | null;
  /** Null only for a scan delivery still waiting in the outbox. */
  sentAt: string | null;
  deliveredAt: string | null;
  error: string | null;
}

/** The delivery record of reminders and digests, for the province and auditors. */
@Injectable()
export class RemindersQuery {
  constructor(private readonly db: Database) {}

  async list(filter: { period?: string; unitCode?: string; kind?: string }): Promise<ReminderRecord[]> {
    const rows = await this.db.query<{
      unit_code: string;
      unit_name: string | null;
      period: string;
      kind: ReminderRecord['kind'];
      channel: string;
      recipient: string;
      address: string | null;
      sent_at: Date | null;
      delivered_at: Date | null;
      error: string | null;
    }>(
      `SELECT r.unit_code, u.name AS unit_name, r.period, r.kind, r.channel, r.recipient, r.address,
              r.sent_at, r.delivered_at, r.error
         FROM reminders r LEFT JOIN units u ON u.code = r.unit_code
        WHERE ($1::text IS NULL OR r.period = $1)
          AND ($2::text IS NULL OR r.unit_code = $2)
          AND ($3::text IS NULL OR r.kind = $3)
        ORDER BY r.period, r.kind, r.unit_code, r.recipient`,
      [filter.period ?? null, filter.unitCode ?? null, filter.kind ?? null],
    );
    return rows.map((r) => ({
      unitCode: r.unit_code,
      unitName: r.unit_name,
      period: r.period,
      kind: r.kind,
      channel: r.channel,
      recipient: r.recipient,
      address: r.address,
      sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
      deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
      error: r.error,
    }));
  }
}
