import { periodsOfYear, reportStreamId, type Share } from '@app/domain';
import type { Database } from '@app/platform/database';

/**
 * What a school has already achieved in a year: the sum of each month's last accepted figures, read from
 * the ledger (never a read model), so a split change is judged against every acceptance already answered.
 */
export async function achievedOf(db: Database, year: number, schoolCode: string): Promise<Share> {
  const [row] = await db.query<{ training: string; certified: string; one_plus_x: string }>(
    `SELECT COALESCE(sum((a.figures->>'training')::bigint), 0) AS training,
            COALESCE(sum((a.figures->>'certified')::bigint), 0) AS certified,
            COALESCE(sum((a.figures->>'onePlusX')::bigint), 0) AS one_plus_x
       FROM unnest($1::text[]) AS s(id)
       CROSS JOIN LATERAL (
         SELECT e.data->'figures' AS figures FROM events e
          WHERE e.stream_id = s.id AND e.type = 'ReportAccepted'
          ORDER BY e.stream_position DESC LIMIT 1
       ) a`,
    [periodsOfYear(year).map((p) => reportStreamId(schoolCode, p))],
  );
  return {
    training: Number(row.training),
    certified: Number(row.certified),
    onePlusX: Number(row.one_plus_x),
  };
}
