import { Injectable } from '@nestjs/common';
import {
  DomainError,
  type Figures,
  type Metric,
  METRIC_LABELS,
  METRICS,
  type ReportEvent,
  reportStreamId,
} from '@app/domain';
import { EventStore, type StoredAs, type StoredEvent } from '@app/event-store';
import { historyEntry as streamHistoryEntry, type HistoryEntry } from '../audit/stream-history';
import { ReportScopes } from './report-scope';

/** One event of a report as its readers see it: the auditors' stream history line, with the report's version. */
export type ReportHistoryEntry = HistoryEntry & { version: number };

interface Who {
  actor: string | null;
  role: string | null;
  at: string;
}

/** One revision of a report: its figures (the accepted ones, or the latest entered), who made it and why. */
export interface RevisionSummary {
  revision: number;
  figures: Figures;
  note: string | null;
  /** Why the revision exists: the amendment's reason (null for revision 1). */
  reason: string | null;
  openedBy: Who;
  lastEditedBy: Who;
  accepted: (Who & { remark: string | null }) | null;
  returns: (Who & { reason: string })[];
}

export interface ReportDiff {
  unitCode: string;
  period: string;
  from: RevisionSummary;
  to: RevisionSummary;
  changes: { metric: Metric; label: string; from: number; to: number; delta: number }[];
}

const who = (e: StoredEvent): Who => ({
  actor: e.metadata?.actor?.username ?? null,
  role: e.metadata?.actor?.role ?? null,
  at: e.recordedAt,
});

export const historyEntry = (e: StoredEvent): ReportHistoryEntry => ({
  ...streamHistoryEntry(e),
  version: e.streamPosition,
});

/** Every revision a report's events describe, in order. */
export function revisionsOf(events: StoredEvent[]): Map<number, RevisionSummary> {
  const revisions = new Map<number, RevisionSummary>();
  for (const stored of events) {
    const e = stored as StoredAs<ReportEvent>;
    const revision = 'revision' in e.data ? e.data.revision : undefined;
    if (revision === undefined) continue;
    const known = revisions.get(revision);
    switch (e.type) {
      case 'ReportFiguresEntered':
      case 'ReportAmendmentOpened':
        if (known) {
          known.figures = e.data.figures;
          known.note = e.type === 'ReportFiguresEntered' ? (e.data.note ?? null) : null;
          known.lastEditedBy = who(e);
        } else {
          revisions.set(revision, {
            revision,
            figures: e.data.figures,
            note: e.type === 'ReportFiguresEntered' ? (e.data.note ?? null) : null,
            reason: e.type === 'ReportAmendmentOpened' ? e.data.reason : null,
            openedBy: who(e),
            lastEditedBy: who(e),
            accepted: null,
            returns: [],
          });
        }
        break;
      case 'ReportAccepted':
        if (known) {
          known.figures = e.data.figures;
          known.accepted = { ...who(e), remark: e.data.reason ?? null };
        }
        break;
      case 'ReportReturned':
        known?.returns.push({ ...who(e), reason: e.data.reason });
        break;
    }
  }
  return revisions;
}

/** A report's own history (every event) and the figure-by-figure difference between two revisions. */
@Injectable()
export class ReportHistory {
  constructor(
    private readonly scopes: ReportScopes,
    private readonly store: EventStore,
  ) {}

  async history(unitCode: string, period: string): Promise<{ body: ReportHistoryEntry[]; version: number }> {
    await this.scopes.resolve(unitCode, period);
    const events = await this.store.readStream(reportStreamId(unitCode, period));
    return { body: events.map(historyEntry), version: events.at(-1)?.streamPosition ?? 0 };
  }

  async diff(
    unitCode: string,
    period: string,
    from: number,
    to: number,
  ): Promise<{ body: ReportDiff; version: number }> {
    await this.scopes.resolve(unitCode, period);
    const events = await this.store.readStream(reportStreamId(unitCode, period));
    const revisions = revisionsOf(events);
    const pick = (n: number) => {
      const found = revisions.get(n);
      if (!found) throw new DomainError('NOT_FOUND', `${unitCode} ${period} 的月报没有第 ${n} 版`);
      return found;
    };
    const a = pick(from);
    const b = pick(to);
    return {
      body: {
        unitCode,
        period,
        from: a,
        to: b,
        changes: METRICS.map((metric) => ({
          metric,
          label: METRIC_LABELS[metric],
          from: a.figures[metric],
          to: b.figures[metric],
          delta: b.figures[metric] - a.figures[metric],
        })),
      },
      version: events.at(-1)?.streamPosition ?? 0,
    };
  }
}
