import type { PlanPublished, SchoolRegistered } from '@app/domain';
import type { Projection, StoredAs } from '@app/event-store';

/** Every unit the ledger knows: plan units from the published plan, schools from their registration. */
export const unitsProjection: Projection = {
  name: 'units',
  handles: ['PlanPublished', 'SchoolRegistered'],
  tables: ['units'],
  async apply(tx, stored) {
    const event = stored as StoredAs<PlanPublished | SchoolRegistered>;
    if (event.type === 'PlanPublished') {
      for (const unit of event.data.units) {
        await tx.query(
          `INSERT INTO units (code, name, kind, parent_code, created_at) VALUES ($1, $2, $3, NULL, $4)
           ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind`,
          [unit.code, unit.name, unit.kind, event.recordedAt],
        );
      }
    } else {
      const d = event.data;
      await tx.query(
        `INSERT INTO units (code, name, kind, parent_code, created_at) VALUES ($1, $2, $3, $4, $5)`,
        [d.code, d.name, d.kind, d.parentCode, event.recordedAt],
      );
    }
  },
};
