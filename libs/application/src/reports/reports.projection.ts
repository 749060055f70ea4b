import { initialReportState, type ReportEvent, reportDecider } from '@app/domain';
import type { Projection } from '@app/event-store';
import { parseReportStreamId } from './report-stream';

/** What each event changes in an existing row; the first event of a stream inserts the folded state instead. */
const CHANGES: Record<ReportEvent['type'], string> = {
  ReportFiguresEntered: `revision = EXCLUDED.revision, status = 'draft', figures = EXCLUDED.figures`,
  ReportSignedByFiller: `status = 'signed-by-filler'`,
  ReportSubmitted: `status = 'submitted', submitted_at = EXCLUDED.submitted_at,
    first_submitted_at = COALESCE(r.first_submitted_at, EXCLUDED.first_submitted_at)`,
  ReportAccepted: `status = 'accepted', figures = EXCLUDED.figures, official_revision = EXCLUDED.official_revision,
    official_figures = EXCLUDED.official_figures, accepted_at = EXCLUDED.accepted_at`,
  ReportReturned: `status = 'draft'`,
  ReportSignatureRefused: `status = 'draft'`,
  ReportAmendmentOpened: `revision = EXCLUDED.revision, status = 'draft', figures = EXCLUDED.figures`,
  ReportMarkedOverdue: `overdue = true`,
  // The scan lives in the ledger and report_scans; the row only moves its version.
  ReportScanAttached: `status = r.status`,
};

/**
 * Each report's status and official figures, written in the append transaction so a read right after a
 * write sees them (lists, progress status, timeliness). One statement per event: inline projections run
 * while the ledger lock is held, so every round trip here slows the month-end burst.
 */
export const reportsProjection: Projection = {
  name: 'reports',
  handles: Object.keys(CHANGES),
  tables: ['reports'],
  async apply(tx, event) {
    const key = parseReportStreamId(event.streamId);
    if (!key) throw new Error(`not a report stream: ${event.streamId}`);
    const e = event as unknown as ReportEvent;
    // Folding the event onto an empty report gives exactly the row a first event creates.
    const s = reportDecider.evolve(initialReportState(), e);
    await tx.query(
      `INSERT INTO reports AS r (unit_code, period, year, version, revision, status, figures, official_revision,
         official_figures, accepted_at, first_submitted_at, submitted_at, overdue, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (unit_code, period) DO UPDATE SET version = EXCLUDED.version,
         updated_at = EXCLUDED.updated_at, ${CHANGES[e.type]}`,
      [
        key.unitCode,
        key.period,
        key.year,
        event.streamPosition,
        s.revision,
        s.status,
        s.figures === null ? null : JSON.stringify(s.figures),
        s.official?.revision ?? null,
        s.official === null ? null : JSON.stringify(s.official.figures),
        s.official?.acceptedAt ?? null,
        s.firstSubmittedAt,
        s.submittedAt,
        s.overdue,
        event.recordedAt,
      ],
    );
  },
};
