import type { Projection } from '@app/event-store';

/** Each region's split: status and every school's share, as the region and its schools see it now. */
export const allocationProjection: Projection = {
  name: 'allocations',
  handles: ['SchoolShareSet', 'AllocationPublished', 'QuotaTransferred'],
  tables: ['allocations', 'allocation_shares'],
  async apply(tx, event) {
    const [, year, region] = /^allocation-(\d{4})-(.+)$/.exec(event.streamId) ?? [];
    const status = event.type === 'AllocationPublished' ? 'published' : null;
    await tx.query(
      `INSERT INTO allocations (year, region_code, version, status) VALUES ($1, $2, $3, COALESCE($4, 'draft'))
       ON CONFLICT (year, region_code) DO UPDATE SET version = EXCLUDED.version,
         status = COALESCE($4, allocations.status)`,
      [Number(year), region, event.streamPosition, status],
    );
    if (event.type === 'SchoolShareSet') {
      const s = event.data.share;
      await tx.query(
        `INSERT INTO allocation_shares (year, region_code, school_code, training, certified, one_plus_x)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (year, region_code, school_code) DO UPDATE SET training = EXCLUDED.training,
           certified = EXCLUDED.certified, one_plus_x = EXCLUDED.one_plus_x`,
        [Number(year), region, event.data.schoolCode, s.training, s.certified, s.onePlusX],
      );
    } else if (event.type === 'QuotaTransferred') {
      const column = { training: 'training', certified: 'certified', onePlusX: 'one_plus_x' }[
        event.data.metric as string
      ];
      if (!column) throw new Error(`unknown metric ${event.data.metric}`);
      await tx.query(
        `UPDATE allocation_shares SET ${column} = ${column} + CASE school_code WHEN $3 THEN -$5::bigint ELSE $5::bigint END
          WHERE year = $1 AND region_code = $2 AND school_code IN ($3, $4)`,
        [Number(year), region, event.data.from, event.data.to, event.data.amount],
      );
    }
  },
};
