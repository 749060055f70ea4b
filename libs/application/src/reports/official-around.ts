import { type Figures, platformStreamId, reportStreamId } from '@app/domain';
import type { SqlClient } from '@app/event-store';
import { type ScanDelivery, toScanDelivery } from '../scans/scan-deliveries';
import { earlierStreamIds } from './report-stream';

/** What a report's view shows beside its own stream, all read from the log (or the outbox) as of an instant. */
export interface OfficialAroundRows {
  /** The unit's earlier months (school false) and, for a region, each school's month (school true). */
  official: { school: boolean; figures: Figures | null }[];
  platformTraining: number | null;
  scanDeliveries: ScanDelivery[];
  /** Earlier months whose latest figures are submitted but not yet official, oldest first. */
  pendingEarlier: string[];
}

/**
 * One statement for everything around a report: every command and every GET needs all of it, and four
 * round trips cost the api four times the CPU and a pool connection each (issue 16's month-end profile).
 * Each part is read from the log as it stood at `asOf`, so as-of reads see what was true then.
 */
const AROUND_SQL = `
  WITH streams AS (
    SELECT id AS stream_id, false AS school FROM unnest($1::text[]) AS id
    UNION ALL
    SELECT 'report-' || code || '-' || $3, true FROM units
     WHERE parent_code = $2 AND kind = 'city-secondary'
       AND ($4::timestamptz IS NULL OR created_at <= $4)
  )
  SELECT
    (SELECT COALESCE(json_agg(json_build_object('school', s.school, 'figures', a.figures)), '[]'::json)
       FROM streams s
       LEFT JOIN LATERAL (
         SELECT e.data->'figures' AS figures FROM events e
          WHERE e.stream_id = s.stream_id AND e.type = 'ReportAccepted'
            AND ($4::timestamptz IS NULL OR e.recorded_at <= $4)
          ORDER BY e.stream_position DESC LIMIT 1
       ) a ON true) AS official,
    (SELECT jsonb_path_query_first(e.data->'figures', '$[*] ? (@.unitCode == $u).training',
                                   jsonb_build_object('u', $2::text)) #>> '{}'
       FROM events e
      WHERE e.stream_id = $5 AND e.type = 'PlatformFiguresImported'
        AND ($4::timestamptz IS NULL OR e.recorded_at <= $4)
      ORDER BY e.stream_position DESC LIMIT 1) AS platform_training,
    (SELECT COALESCE(json_agg(json_build_object('recipient', r.recipient, 'address', r.address,
                                                'queued_at', r.queued_at, 'sent_at', r.sent_at,
                                                'delivered_at', r.delivered_at, 'error', r.error)), '[]'::json)
       FROM reminders r
      WHERE r.kind = 'scan' AND r.unit_code = $2 AND r.period = $3
        AND ($4::timestamptz IS NULL OR r.queued_at <= $4)) AS deliveries,
    (SELECT COALESCE(array_agg(s.id), '{}')
       FROM unnest($1::text[]) AS s(id)
       CROSS JOIN LATERAL (
         SELECT e.type FROM events e
          WHERE e.stream_id = s.id AND e.type NOT IN ('ReportMarkedOverdue', 'ReportScanAttached')
            AND ($4::timestamptz IS NULL OR e.recorded_at <= $4)
          ORDER BY e.stream_position DESC LIMIT 1
       ) last
      WHERE last.type = 'ReportSubmitted') AS pending`;

interface AroundRow {
  official: { school: boolean; figures: Figures | null }[];
  platform_training: string | null;
  deliveries: Record<string, unknown>[];
  pending: string[];
}

export async function readOfficialAround(
  db: SqlClient,
  unitCode: string,
  period: string,
  asOf?: Date,
): Promise<OfficialAroundRows> {
  const earlier = earlierStreamIds(unitCode, period);
  const [row] = await db.query<AroundRow>(AROUND_SQL, [
    earlier,
    unitCode,
    period,
    asOf ?? null,
    platformStreamId(Number(period.slice(0, 4)), period),
  ]);
  const pending = new Set(row.pending);
  const prefix = reportStreamId(unitCode, '').length;
  return {
    official: row.official,
    platformTraining: row.platform_training == null ? null : Number(row.platform_training),
    // The timestamps come back as JSON text, which toScanDelivery reads as it reads pg's Date values.
    scanDeliveries: row.deliveries.map((r) => toScanDelivery(r, asOf)),
    pendingEarlier: earlier.filter((id) => pending.has(id)).map((id) => id.slice(prefix)),
  };
}
