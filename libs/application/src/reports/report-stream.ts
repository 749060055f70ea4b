import { reportStreamId } from '@app/domain';

export interface ReportStreamKey {
  unitCode: string;
  period: string;
  year: number;
}

const REPORT_STREAM = /^report-(.+)-(\d{4})-(\d{2})$/;

/** Unit codes may hold hyphens (R01-S1), so the period is read from the end of the stream id. */
export function parseReportStreamId(streamId: string): ReportStreamKey | null {
  const match = REPORT_STREAM.exec(streamId);
  if (!match) return null;
  return { unitCode: match[1], period: `${match[2]}-${match[3]}`, year: Number(match[2]) };
}

/** The streams of a unit's earlier months of the same year, oldest first. */
export function earlierStreamIds(unitCode: string, period: string): string[] {
  const year = period.slice(0, 4);
  const month = Number(period.slice(5, 7));
  return Array.from({ length: month - 1 }, (_, i) =>
    reportStreamId(unitCode, `${year}-${String(i + 1).padStart(2, '0')}`),
  );
}
