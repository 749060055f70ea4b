import type { Projection } from '@app/event-store';

/** The latest platform file of each month replaces the previous one here; the ledger keeps them all. */
export const platformFiguresProjection: Projection = {
  name: 'platform-figures',
  handles: ['PlatformFiguresImported'],
  tables: ['platform_imports', 'platform_figures'],
  async apply(tx, event) {
    const year = Number(/^platform-(\d{4})-/.exec(event.streamId)?.[1]);
    const { period, fileHash, figures } = event.data as {
      period: string;
      fileHash: string;
      figures: { unitCode: string; training: number }[];
    };
    await tx.query(
      `INSERT INTO platform_imports (year, period, version, file_hash, imported_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (year, period) DO UPDATE SET version = EXCLUDED.version, file_hash = EXCLUDED.file_hash,
         imported_at = EXCLUDED.imported_at`,
      [year, period, event.streamPosition, fileHash, event.recordedAt],
    );
    await tx.query('DELETE FROM platform_figures WHERE year = $1 AND period = $2', [year, period]);
    await tx.query(
      `INSERT INTO platform_figures (year, period, unit_code, training)
       SELECT $1, $2, * FROM unnest($3::text[], $4::bigint[])`,
      [year, period, figures.map((f) => f.unitCode), figures.map((f) => f.training)],
    );
  },
};
