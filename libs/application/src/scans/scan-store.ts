import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { ScanContentType } from '@app/domain';
import { Database } from '@app/platform/database';

export const sha256Of = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

/** A stored scan whose bytes no longer hash to the sha256 its ledger event recorded (or that is gone). */
export interface ScanFinding {
  sha256: string;
  reason: 'altered' | 'missing';
  /** sha256 of the bytes stored now (null when missing). */
  actual: string | null;
  /** The report events that name this scan: where an auditor goes next. */
  recordedBy: { streamId: string; position: number }[];
}

/**
 * The bytes of sealed forms, content-addressed in PostgreSQL (table report_scans, append-only for the app
 * role). The ledger event holds the sha256; this table holds what it names.
 */
@Injectable()
export class ScanStore {
  constructor(private readonly db: Database) {}

  /** Stores the bytes under their sha256; the same bytes again change nothing. */
  async put(sha256: string, contentType: ScanContentType, content: Buffer, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO report_scans (sha256, content_type, bytes, content, stored_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sha256) DO NOTHING`,
      [sha256, contentType, content.length, content, at],
    );
  }

  async get(sha256: string): Promise<{ contentType: string; content: Buffer } | null> {
    const [row] = await this.db.query<{ content_type: string; content: Buffer }>(
      `SELECT content_type, content FROM report_scans WHERE sha256 = $1`,
      [sha256],
    );
    return row ? { contentType: row.content_type, content: row.content } : null;
  }

  /**
   * Re-hashes every stored scan a ledger event names and lists those whose bytes do not hash to it. The
   * hashing runs in PostgreSQL, so 10 MiB files never travel to the api to be checked.
   */
  async verify(): Promise<{ checked: number; invalid: ScanFinding[] }> {
    const rows = await this.db.query<{
      sha256: string;
      actual: string | null;
      stored: boolean;
      recorded_by: { streamId: string; position: number }[];
    }>(
      `WITH named AS (
         SELECT data->>'sha256' AS sha256,
                jsonb_agg(jsonb_build_object('streamId', stream_id, 'position', position) ORDER BY position)
                  AS recorded_by
           FROM events WHERE type = 'ReportScanAttached' GROUP BY data->>'sha256'
       )
       SELECT n.sha256, n.recorded_by, s.sha256 IS NOT NULL AS stored,
              encode(sha256(s.content), 'hex') AS actual
         FROM named n LEFT JOIN report_scans s ON s.sha256 = n.sha256
        ORDER BY n.sha256`,
    );
    const invalid: ScanFinding[] = rows
      .filter((r) => !r.stored || r.actual !== r.sha256)
      .map((r) => ({
        sha256: r.sha256,
        reason: r.stored ? 'altered' : 'missing',
        actual: r.actual,
        recordedBy: r.recorded_by.map((e) => ({ streamId: e.streamId, position: Number(e.position) })),
      }));
    return { checked: rows.length, invalid };
  }
}
