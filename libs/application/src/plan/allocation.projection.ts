import type { Projection, StoredAs } from '@app/event-store';
import { type AllocationEvent, periodInYear } from '@app/domain';

const COLUMN: Record<string, string | undefined> = {
  training: 'training',
  certified: 'certified',
  onePlusX: 'one_plus_x',
};

/**
 * Each region's split: status and every school's share, as the region and its schools see it now.
 * `owes_from` is the month of the first event after which the school held a share of a published split
 * (the publication, a transfer to it, a share set after publishing): reports are owed from then, and
 * until then the school has no task.
 */
export const allocationProjection: Projection = {
  name: 'allocations',
  handles: ['SchoolShareSet', 'AllocationPublished', 'QuotaTransferred'],
  tables: ['allocations', 'allocation_shares'],
  async apply(tx, stored) {
    const event = stored as StoredAs<AllocationEvent>;
    const [, yearText, region] = /^allocation-(\d{4})-(.+)$/.exec(event.streamId) ?? [];
    const year = Number(yearText);
    const period = periodInYear(year, new Date(event.recordedAt));
    const status = event.type === 'AllocationPublished' ? 'published' : null;
    const [split] = await tx.query<{ status: string }>(
      `INSERT INTO allocations (year, region_code, version, status) VALUES ($1, $2, $3, COALESCE($4, 'draft'))
       ON CONFLICT (year, region_code) DO UPDATE SET version = EXCLUDED.version,
         status = COALESCE($4, allocations.status)
       RETURNING status`,
      [year, region, event.streamPosition, status],
    );
    const owes = split.status === 'published' ? period : null;
    if (event.type === 'AllocationPublished') {
      await tx.query(
        `UPDATE allocation_shares SET owes_from = $3 WHERE year = $1 AND region_code = $2 AND owes_from IS NULL`,
        [year, region, period],
      );
    } else if (event.type === 'SchoolShareSet') {
      const s = event.data.share;
      await tx.query(
        `INSERT INTO allocation_shares (year, region_code, school_code, training, certified, one_plus_x, owes_from)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (year, region_code, school_code) DO UPDATE SET training = EXCLUDED.training,
           certified = EXCLUDED.certified, one_plus_x = EXCLUDED.one_plus_x,
           owes_from = COALESCE(allocation_shares.owes_from, EXCLUDED.owes_from)`,
        [year, region, event.data.schoolCode, s.training, s.certified, s.onePlusX, owes],
      );
    } else if (event.type === 'QuotaTransferred') {
      const column = COLUMN[event.data.metric];
      if (!column) throw new Error(`unknown metric ${event.data.metric}`);
      // The receiving school may hold no share yet (a school registered after publishing).
      await tx.query(
        `INSERT INTO allocation_shares (year, region_code, school_code, training, certified, one_plus_x, owes_from)
         VALUES ($1, $2, $3, 0, 0, 0, $4)
         ON CONFLICT (year, region_code, school_code) DO UPDATE
           SET owes_from = COALESCE(allocation_shares.owes_from, EXCLUDED.owes_from)`,
        [year, region, event.data.to, owes],
      );
      await tx.query(
        `UPDATE allocation_shares SET ${column} = ${column} + CASE school_code WHEN $3 THEN -$5::bigint ELSE $5::bigint END
          WHERE year = $1 AND region_code = $2 AND school_code IN ($3, $4)`,
        [year, region, event.data.from, event.data.to, event.data.amount],
      );
    }
  },
};
