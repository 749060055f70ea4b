import { reportStreamId } from '@app/domain';
import type { Database } from '@app/platform/database';
import { earlierStreamIds } from './report-stream';

/**
 * Earlier months of the year whose latest figures are submitted but not yet official: the cumulative
 * leaves them out, and the report says so. Read from the log (the last status-changing event of each
 * stream), so an as-of read lists what was pending then.
 */
export async function pendingEarlierOf(
  db: Database,
  unitCode: string,
  period: string,
  asOf?: Date,
): Promise<string[]> {
  const streams = earlierStreamIds(unitCode, period);
  if (streams.length === 0) return [];
  const rows = await db.query<{ stream_id: string }>(
    `SELECT s.id AS stream_id
       FROM unnest($1::text[]) AS s(id)
       CROSS JOIN LATERAL (
         SELECT e.type FROM events e
          WHERE e.stream_id = s.id AND e.type NOT IN ('ReportMarkedOverdue', 'ReportScanAttached')
            AND ($2::timestamptz IS NULL OR e.recorded_at <= $2)
          ORDER BY e.stream_position DESC LIMIT 1
       ) last
      WHERE last.type = 'ReportSubmitted'`,
    [streams, asOf ?? null],
  );
  const pending = new Set(rows.map((r) => r.stream_id));
  return streams.filter((id) => pending.has(id)).map((id) => id.slice(reportStreamId(unitCode, '').length));
}
