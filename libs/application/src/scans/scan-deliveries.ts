import { Injectable, Logger } from '@nestjs/common';
import { SCAN_TYPE_LABELS, type ScanContentType } from '@app/domain';
import type { SqlClient } from '@app/event-store';
import { AppConfig } from '@app/platform/config';
import { Clock } from '@app/platform/clock';
import { Database } from '@app/platform/database';
import { DEADLINE_JOBS } from '../deadlines/deadline-jobs';
import { DeadlineQueue } from '../deadlines/deadline-queue';
import { type Message, ReminderChannels } from '../deadlines/reminder-channels';
import { ScanStore } from './scan-store';

/** Where a scan's delivery to the province inbox stands (null on the report when no inbox is configured). */
export interface ScanDelivery {
  sha256: string;
  /** `queued`: recorded with the upload; `sending`: claimed by a worker; `failed`: will be tried again. */
  status: 'queued' | 'sending' | 'sent' | 'failed';
  address: string;
  queuedAt: string | null;
  sentAt: string | null;
  error: string | null;
}

const EXTENSIONS: Record<ScanContentType, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};
const monthLabel = (period: string) => `${period.slice(0, 4)} 年 ${Number(period.slice(5, 7))} 月`;
const recipientOf = (sha256: string) => `inbox:${sha256}`;
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/**
 * One outbox row of a scan as its report shows it at `asOf` (now when absent): only what had happened by
 * then, so an error recorded later is not shown either. Timestamps may be Dates (pg) or JSON text.
 */
export function toScanDelivery(row: Record<string, unknown>, asOf?: Date): ScanDelivery {
  const by = (v: unknown) => (v && (!asOf || new Date(v as string) <= asOf) ? v : null);
  const deliveredAt = by(row.delivered_at);
  const sentAt = by(row.sent_at);
  const error = asOf ? null : (row.error as string | null);
  return {
    sha256: String(row.recipient).slice('inbox:'.length),
    status: deliveredAt ? 'sent' : error ? 'failed' : sentAt ? 'sending' : 'queued',
    address: row.address as string,
    queuedAt: iso(row.queued_at),
    sentAt: iso(deliveredAt),
    error: deliveredAt ? null : error,
  };
}

/**
 * Mails every new sealed form to PROVINCE_INBOX through the reminders outbox: the row is written in the
 * upload's own transaction (so no upload is forgotten), a worker claims it before sending (so no scan is
 * sent twice, whatever retries or second workers do) and marks it delivered; a refused delivery keeps its
 * error and is tried again on the next run.
 */
@Injectable()
export class ScanDeliveries {
  private readonly logger = new Logger(ScanDeliveries.name);

  constructor(
    private readonly db: Database,
    private readonly store: ScanStore,
    private readonly channels: ReminderChannels,
    private readonly queue: DeadlineQueue,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Mail is sent only when both an inbox and SMTP are set; otherwise nothing is queued. */
  get enabled(): boolean {
    return Boolean(this.config.PROVINCE_INBOX && this.config.SMTP_URL);
  }

  /** Records the delivery in the upload's transaction; a scan already queued for this report is not queued again. */
  async enqueue(tx: SqlClient, unitCode: string, period: string, sha256: string, at: Date): Promise<void> {
    if (!this.enabled) return;
    await tx.query(
      `INSERT INTO reminders (unit_code, period, kind, channel, recipient, address, queued_at)
       VALUES ($1, $2, 'scan', 'email', $3, $4, $5) ON CONFLICT DO NOTHING`,
      [unitCode, period, recipientOf(sha256), this.config.PROVINCE_INBOX, at],
    );
  }

  /** Wakes a worker at once; without Redis the worker's periodic run still finds the row. */
  wake(unitCode: string, period: string, sha256: string): void {
    if (!this.enabled || !this.queue.ready) return;
    this.queue.queue
      .add(
        DEADLINE_JOBS.scanDeliveries,
        {},
        {
          jobId: `scan-delivery-${unitCode}-${period}-${sha256}`,
          attempts: 3,
          backoff: { type: 'exponential', delay: 5000 },
        },
      )
      .catch((error) => this.logger.warn({ msg: 'scan delivery not queued', err: String(error) }));
  }

  /** Sends every queued or failed scan delivery once; answers how many went out and how many failed. */
  async run(): Promise<{ sent: number; failed: number }> {
    const due = await this.db.query<{ unit_code: string; period: string; recipient: string }>(
      `SELECT unit_code, period, recipient FROM reminders
        WHERE kind = 'scan' AND delivered_at IS NULL AND (sent_at IS NULL OR error IS NOT NULL)
        ORDER BY queued_at LIMIT 100`,
    );
    const summary = { sent: 0, failed: 0 };
    for (const row of due) {
      const outcome = await this.deliver(row.unit_code, row.period, row.recipient);
      if (outcome === 'sent') summary.sent++;
      if (outcome === 'failed') summary.failed++;
    }
    return summary;
  }

  private async deliver(
    unitCode: string,
    period: string,
    recipient: string,
  ): Promise<'sent' | 'skipped' | 'failed'> {
    // The claim is the guard against sending twice: only one worker's UPDATE finds the row still unclaimed.
    const [claimed] = await this.db.query<{ address: string }>(
      `UPDATE reminders SET sent_at = $4, error = NULL
        WHERE unit_code = $1 AND period = $2 AND kind = 'scan' AND recipient = $3
          AND delivered_at IS NULL AND (sent_at IS NULL OR error IS NOT NULL)
       RETURNING address`,
      [unitCode, period, recipient, this.clock.now()],
    );
    if (!claimed) return 'skipped';
    const sha256 = recipient.slice('inbox:'.length);
    try {
      const message = await this.message(unitCode, period, sha256);
      await this.channels.deliver(
        { channel: 'email', address: claimed.address },
        { id: recipient, displayName: '省级报送邮箱' },
        message,
      );
      await this.mark(unitCode, period, recipient, 'delivered_at = $4', this.clock.now());
      return 'sent';
    } catch (error) {
      this.logger.warn({ msg: 'scan not delivered', unitCode, period, sha256, err: String(error) });
      await this.mark(unitCode, period, recipient, 'error = $4', String(error).slice(0, 500));
      return 'failed';
    }
  }

  private async message(unitCode: string, period: string, sha256: string): Promise<Message> {
    const scan = await this.store.get(sha256);
    if (!scan) throw new Error(`scan ${sha256} is not stored`);
    const [unit] = await this.db.query<{ name: string }>(`SELECT name FROM units WHERE code = $1`, [
      unitCode,
    ]);
    const name = unit?.name ?? unitCode;
    const type = scan.contentType as ScanContentType;
    return {
      subject: `【盖章月报】${name}（${unitCode}）${monthLabel(period)} sha256:${sha256}`,
      text: [
        `${name}（${unitCode}）${monthLabel(period)}“人人持证、技能河南”月报的签字盖章扫描件见附件。`,
        `文件类型：${SCAN_TYPE_LABELS[type] ?? type}，大小：${scan.content.length} 字节。`,
        `SHA-256：${sha256}`,
        '该摘要已记入台账，可在系统中核对附件是否为上传的原件。',
      ].join('\n'),
      attachments: [
        {
          filename: `${unitCode}-${period}-盖章月报.${EXTENSIONS[type] ?? 'bin'}`,
          content: scan.content,
          contentType: scan.contentType,
        },
      ],
    };
  }

  private async mark(unitCode: string, period: string, recipient: string, set: string, value: unknown) {
    await this.db.query(
      `UPDATE reminders SET ${set} WHERE unit_code = $1 AND period = $2 AND kind = 'scan' AND recipient = $3`,
      [unitCode, period, recipient, value],
    );
  }
}
