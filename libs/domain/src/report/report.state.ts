// A report's state: one shape for every status, folded from its events by `evolveReport`.
import { Figures } from '../shared/figures';
import { type ReportScan } from './report-scan';
import { type SignedForm } from './report-signed-form';

export type ReportStatus = 'not-started' | 'draft' | 'signed-by-filler' | 'submitted' | 'accepted';

export interface FillerSignature {
  userId: string;
  name: string;
  phone: string;
  figuresHash: string;
  signedAt: string;
}

export interface LeaderSignature {
  userId: string;
  name: string;
  signedAt: string;
}

export interface OfficialReport {
  revision: number;
  figures: Figures;
  acceptedAt: string;
}

/**
 * One shape for every status: most fields (official, overdue, first submission) outlive the status
 * changes, so a union keyed by status would only repeat them. `revision` is 0 before the first entry;
 * after an amendment `status`/`figures` describe revision n+1 while `official` still holds revision n.
 */
export interface ReportState {
  status: ReportStatus;
  revision: number;
  figures: Figures | null;
  note: string | null;
  signatures: { filler: FillerSignature | null; leader: LeaderSignature | null };
  official: OfficialReport | null;
  /** First submission of revision 1: what timeliness is judged by. */
  firstSubmittedAt: string | null;
  /** Latest submission of any revision. */
  submittedAt: string | null;
  overdue: boolean;
  overdueDeadline: string | null;
  returnReason: string | null;
  amendmentReason: string | null;
  /** The whole form the leader signed for this revision; void when the signatures are. */
  signedForm: SignedForm | null;
  /** The sealed form of this revision's signatures; void when they are (a return, an amendment). */
  scan: ReportScan | null;
  /** The sealed form of the official revision, which stays while an amendment is worked on. */
  officialScan: ReportScan | null;
}

export const initialReportState = (): ReportState => ({
  status: 'not-started',
  revision: 0,
  figures: null,
  note: null,
  signatures: { filler: null, leader: null },
  official: null,
  firstSubmittedAt: null,
  submittedAt: null,
  overdue: false,
  overdueDeadline: null,
  returnReason: null,
  amendmentReason: null,
  scan: null,
  officialScan: null,
  signedForm: null,
});

export const STATUS_LABELS: Record<ReportStatus, string> = {
  'not-started': '未填报',
  draft: '草稿',
  'signed-by-filler': '填报人已签字',
  submitted: '已报送',
  accepted: '已确认',
};
