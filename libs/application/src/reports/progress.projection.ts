import type { Figures } from '@app/domain';
import type { Projection } from '@app/event-store';
import { parseReportStreamId } from './report-stream';

/**
 * Official monthly figures per unit (what dashboards and exports add up), built by the worker from the
 * log. Only acceptance makes figures official, so drafts and returned reports never reach a dashboard;
 * an accepted amendment replaces its month, which moves every later cumulative figure.
 */
export const progressProjection: Projection = {
  name: 'progress',
  handles: ['ReportAccepted'],
  tables: ['progress_months'],
  async apply(tx, event) {
    const key = parseReportStreamId(event.streamId);
    if (!key) throw new Error(`not a report stream: ${event.streamId}`);
    const f: Figures = event.data.figures;
    await tx.query(
      `INSERT INTO progress_months AS p (unit_code, period, year, revision, training, certified, advanced,
         one_plus_x, accepted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (unit_code, period) DO UPDATE SET revision = EXCLUDED.revision,
         training = EXCLUDED.training, certified = EXCLUDED.certified, advanced = EXCLUDED.advanced,
         one_plus_x = EXCLUDED.one_plus_x, accepted_at = EXCLUDED.accepted_at
       WHERE p.revision <= EXCLUDED.revision`,
      [
        key.unitCode,
        key.period,
        key.year,
        event.data.revision,
        f.training,
        f.certified,
        f.advanced,
        f.onePlusX,
        event.data.acceptedAt,
      ],
    );
  },
};
