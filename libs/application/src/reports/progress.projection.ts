import type { ReportAccepted } from '@app/domain';
import type { Projection, StoredAs, StoredEvent } from '@app/event-store';
import { parseReportStreamId } from './report-stream';

const COLUMNS = `unit_code, period, year, revision, training, certified, advanced, one_plus_x, accepted_at`;

/** An older revision accepted late never replaces a newer one. */
const ON_CONFLICT = `ON CONFLICT (unit_code, period) DO UPDATE SET revision = EXCLUDED.revision,
  training = EXCLUDED.training, certified = EXCLUDED.certified, advanced = EXCLUDED.advanced,
  one_plus_x = EXCLUDED.one_plus_x, accepted_at = EXCLUDED.accepted_at
  WHERE p.revision <= EXCLUDED.revision`;

/** The row a `ReportAccepted` proposes, in the order of COLUMNS. */
function rowOf(stored: StoredEvent): unknown[] {
  const event = stored as StoredAs<ReportAccepted>;
  const key = parseReportStreamId(event.streamId);
  if (!key) throw new Error(`not a report stream: ${event.streamId}`);
  const f = event.data.figures;
  return [
    key.unitCode,
    key.period,
    key.year,
    event.data.revision,
    f.training,
    f.certified,
    f.advanced,
    f.onePlusX,
    event.data.acceptedAt,
  ];
}

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
    await tx.query(
      `INSERT INTO progress_months AS p (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ${ON_CONFLICT}`,
      rowOf(event),
    );
  },
  /**
   * Event by event, a month ends with the last acceptance of the highest revision seen (an equal
   * revision replaces, a lower one does not). Folding the page the same way from nothing and then
   * upserting with the same condition gives that too: the page's pick carries the page's highest
   * revision, and loses to a row already there only when that row's revision is higher still.
   */
  async applyBatch(tx, events) {
    const picked = new Map<string, StoredAs<ReportAccepted>>();
    for (const e of events as readonly StoredAs<ReportAccepted>[]) {
      const current = picked.get(e.streamId);
      if (!current || current.data.revision <= e.data.revision) picked.set(e.streamId, e);
    }
    const rows = [...picked.values()].map(rowOf);
    await tx.query(
      `INSERT INTO progress_months AS p (${COLUMNS})
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::bigint[], $6::bigint[],
         $7::bigint[], $8::bigint[], $9::timestamptz[])
       ${ON_CONFLICT}`,
      COLUMNS.split(', ').map((_, i) => rows.map((r) => r[i])),
    );
  },
};
