import { initialReportState, type ReportEvent, reportDecider, reportStreamId } from '@app/domain';
import type { Projection, StoredEvent } from '@app/event-store';
import { parseReportStreamId, type ReportStreamKey } from './report-stream';

/** The columns of `reports` with their types, in the order every statement here lists them. */
const COLUMNS = {
  unit_code: 'text',
  period: 'text',
  year: 'int',
  version: 'int',
  revision: 'int',
  status: 'text',
  figures: 'jsonb',
  official_revision: 'int',
  official_figures: 'jsonb',
  accepted_at: 'timestamptz',
  first_submitted_at: 'timestamptz',
  submitted_at: 'timestamptz',
  overdue: 'boolean',
  updated_at: 'timestamptz',
} as const;
type Column = keyof typeof COLUMNS;
const NAMES = Object.keys(COLUMNS) as Column[];

/** A row as written: JSON and timestamps as text, so a row read back is written back unchanged. */
type ReportRow = Record<Column, string | number | boolean | null>;

/**
 * What each event changes in an existing row; the first event of a stream inserts the folded state instead.
 * Both `apply`'s statement and `applyBatch`'s fold are made from this one table.
 */
const CHANGES: Record<ReportEvent['type'], readonly Column[]> = {
  ReportFiguresEntered: ['revision', 'status', 'figures'],
  ReportSignedByFiller: ['status'],
  ReportSubmitted: ['status', 'submitted_at', 'first_submitted_at'],
  ReportAccepted: ['status', 'figures', 'official_revision', 'official_figures', 'accepted_at'],
  ReportReturned: ['status'],
  ReportSignatureRefused: ['status'],
  ReportAmendmentOpened: ['revision', 'status', 'figures'],
  ReportMarkedOverdue: ['overdue'],
  // The scan lives in the ledger and report_scans; the row only moves its version.
  ReportScanAttached: [],
};

/** The first submission of revision 1 stays what it was once there (timeliness is judged by it). */
const KEEPS_EARLIER: ReadonlySet<Column> = new Set(['first_submitted_at']);

const setColumn = (c: Column) =>
  KEEPS_EARLIER.has(c) ? `${c} = COALESCE(r.${c}, EXCLUDED.${c})` : `${c} = EXCLUDED.${c}`;

const UPSERT_ONE = Object.fromEntries(
  Object.entries(CHANGES).map(([type, changed]) => [
    type,
    `INSERT INTO reports AS r (${NAMES.join(', ')})
     VALUES (${NAMES.map((_, i) => `$${i + 1}`).join(', ')})
     ON CONFLICT (unit_code, period) DO UPDATE SET ${['version', 'updated_at', ...changed].map((c) => setColumn(c as Column)).join(', ')}`,
  ]),
) as Record<ReportEvent['type'], string>;

/** Rows of a page, folded onto the rows earlier pages wrote, so every column is written as it stands. */
const UPSERT_PAGE = `INSERT INTO reports AS r (${NAMES.join(', ')})
  SELECT * FROM unnest(${NAMES.map((c, i) => `$${i + 1}::${COLUMNS[c]}[]`).join(', ')})
  ON CONFLICT (unit_code, period) DO UPDATE SET ${NAMES.slice(2)
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ')}`;

const asText = (c: Column) =>
  COLUMNS[c] === 'jsonb' || COLUMNS[c] === 'timestamptz' ? `r.${c}::text AS ${c}` : `r.${c}`;
const EXISTING = `SELECT ${NAMES.map(asText).join(', ')}
  FROM unnest($1::text[], $2::text[]) AS k(unit_code, period)
  JOIN reports r ON r.unit_code = k.unit_code AND r.period = k.period`;

function keyOf(streamId: string) {
  const key = parseReportStreamId(streamId);
  if (!key) throw new Error(`not a report stream: ${streamId}`);
  return key;
}

/** The row one event alone leaves: the event folded onto an empty report (what a first event inserts). */
function rowOf(event: StoredEvent, key = keyOf(event.streamId)): ReportRow {
  const s = reportDecider.evolve(initialReportState(), event as unknown as ReportEvent);
  const figures = s.figures === null ? null : JSON.stringify(s.figures);
  return {
    unit_code: key.unitCode,
    period: key.period,
    year: key.year,
    version: event.streamPosition,
    revision: s.revision,
    status: s.status,
    figures,
    official_revision: s.official?.revision ?? null,
    // An acceptance makes the report's figures official: the same object, written once.
    official_figures:
      s.official === null
        ? null
        : s.official.figures === s.figures
          ? figures
          : JSON.stringify(s.official.figures),
    accepted_at: s.official?.acceptedAt ?? null,
    first_submitted_at: s.firstSubmittedAt,
    submitted_at: s.submittedAt,
    overdue: s.overdue,
    updated_at: event.recordedAt,
  };
}

/** The row `apply`'s statement leaves when `event` comes to `row` (none yet: the event's own row). */
function rowAfter(row: ReportRow | undefined, event: StoredEvent, key: ReportStreamKey): ReportRow {
  const own = rowOf(event, key);
  if (!row) return own;
  const next = { ...row, version: own.version, updated_at: own.updated_at };
  for (const c of CHANGES[event.type as ReportEvent['type']]) {
    next[c] = KEEPS_EARLIER.has(c) ? (row[c] ?? own[c]) : own[c];
  }
  return next;
}

/**
 * Each report's status and official figures, written in the append transaction so a read right after a
 * write sees them (lists, progress status, timeliness). One statement per event: inline projections run
 * while the ledger lock is held, so every round trip here slows the month-end burst. A rebuild writes a
 * page in two statements: read the rows its streams already have, write them folded.
 */
export const reportsProjection: Projection = {
  name: 'reports',
  handles: Object.keys(CHANGES),
  tables: ['reports'],
  async apply(tx, event) {
    const row = rowOf(event);
    await tx.query(
      UPSERT_ONE[event.type as ReportEvent['type']],
      NAMES.map((c) => row[c]),
    );
  },
  async applyBatch(tx, events) {
    const streams = new Map<string, StoredEvent[]>();
    for (const e of events) {
      const list = streams.get(e.streamId);
      if (list) list.push(e);
      else streams.set(e.streamId, [e]);
    }
    const keys = [...streams.keys()].map(keyOf);
    const existing = await tx.query<ReportRow>(EXISTING, [
      keys.map((k) => k.unitCode),
      keys.map((k) => k.period),
    ]);
    const before = new Map(existing.map((r) => [reportStreamId(String(r.unit_code), String(r.period)), r]));
    const rows = [...streams].map(([streamId, list], i) =>
      list.reduce<ReportRow | undefined>((row, e) => rowAfter(row, e, keys[i]), before.get(streamId)),
    ) as ReportRow[];
    await tx.query(
      UPSERT_PAGE,
      NAMES.map((c) => rows.map((r) => r[c])),
    );
  },
};
