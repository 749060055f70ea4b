import { Injectable } from '@nestjs/common';
import {
  addFigures,
  completionRates,
  cumulativeFigures,
  type Figures,
  type Quota,
  reportWarnings,
  owes,
  timeliness,
  type Timeliness,
  zeroFigures,
  type ReportWarning,
  type ReportStatus,
  type SignedForm,
  type ReportScan,
} from '@app/domain';
import { Clock } from '@app/platform/clock';
import { Database } from '@app/platform/database';
import type { ReportFold } from './report-fold';
import type { ReportScope } from './report-scope';
import type { Reviewer } from './reviewer';
import type { ScanDelivery } from '../scans/scan-deliveries';
import { readOfficialAround } from './official-around';

export interface OfficialAround {
  /** Official figures of the same unit's earlier months of the year, as they stood at `judgedAt`. */
  earlierOfficial: Figures[];
  /** A region's schools' official figures of this month; null for other units or a region without schools. */
  schoolsSum: Figures | null;
  /** The skilled-talent platform's training figure for this unit and month (null: not imported). */
  platformTraining: number | null;
  /** Deliveries of this report's sealed forms to the province inbox (empty when none is configured). */
  scanDeliveries?: ScanDelivery[];
  /** Earlier months submitted but not yet official: the cumulative leaves them out. */
  pendingEarlier?: string[];
}

/** What the view is built from: the report's own stream plus the official figures around it. */
export interface ReportViewInput extends OfficialAround {
  scope: ReportScope;
  state: ReportFold;
  version: number;
  /** The clock's instant, or the `asOf` instant of a historical read. */
  judgedAt: Date;
}

export interface ReportView {
  unitCode: string;
  unitName: string;
  kind: string;
  period: string;
  version: number;
  revision: number;
  status: ReportStatus;
  figures: Figures | null;
  note: string | null;
  official: { revision: number; figures: Figures; acceptedAt: string; scan: ScanView | null } | null;
  cumulative: Figures;
  annual: Quota;
  rate: Record<keyof Figures, number | null>;
  signatures: {
    filler: { name: string; phone: string; signedAt: string; figuresHash: string } | null;
    leader: { name: string; signedAt: string } | null;
  };
  submittedAt: string | null;
  firstSubmittedAt: string | null;
  deadline: string;
  timeliness: Timeliness;
  overdue: boolean;
  warnings: ReportWarning[];
  /** Training on the platform against this report's figures, seen before signing and accepting (说明 1). */
  reconciliation: { platform: number | null; difference: number | null };
  returnReason: string | null;
  returnedAt: string | null;
  amendmentReason: string | null;
  reviewer: Reviewer;
  schoolsSum?: Figures | null;
  /** The whole form as the leader signed it (this revision's); null before. Later task changes never touch it. */
  signedForm: SignedForm | null;
  /** Earlier months of the year submitted but not yet official (the cumulative leaves them out). */
  pendingEarlier: string[];
  /** The sealed form of this revision's signatures (签字盖章扫描件); null until uploaded, or once void. */
  scan: ScanView | null;
}

export interface ScanView {
  revision: number;
  sha256: string;
  contentType: string;
  bytes: number;
  uploadedAt: string;
  uploadedBy: string;
  /** Its mail to the province inbox; null when no inbox is configured. */
  delivery: Omit<ScanDelivery, 'sha256'> | null;
}

function scanView(scan: ReportScan | null, deliveries: ScanDelivery[] = []): ScanView | null {
  if (!scan) return null;
  const found = deliveries.find((d) => d.sha256 === scan.sha256);
  return {
    revision: scan.revision,
    sha256: scan.sha256,
    contentType: scan.contentType,
    bytes: scan.bytes,
    uploadedAt: scan.uploadedAt,
    uploadedBy: scan.uploadedBy.username,
    delivery: found
      ? {
          status: found.status,
          address: found.address,
          queuedAt: found.queuedAt,
          sentAt: found.sentAt,
          error: found.error,
        }
      : null,
  };
}

/**
 * The one place a report's GET body is built (commands answer with it too). Other features extend the
 * body here rather than assembling their own copy.
 */
export function reportView(input: ReportViewInput): ReportView {
  const { scope, version } = input;
  const state = input.state.report;
  const cumulative = cumulativeFigures(input.earlierOfficial, state.figures ?? zeroFigures());
  const annual = scope.unit.annual;
  const { filler, leader } = state.signatures;
  const view: ReportView = {
    unitCode: scope.unit.code,
    unitName: scope.unit.name,
    kind: scope.unit.kind,
    period: scope.period,
    version,
    revision: state.revision,
    status: state.status,
    figures: state.figures,
    note: state.note,
    official: state.official
      ? {
          revision: state.official.revision,
          figures: state.official.figures,
          acceptedAt: state.official.acceptedAt,
          scan: scanView(state.officialScan, input.scanDeliveries),
        }
      : null,
    cumulative,
    annual,
    rate: completionRates(cumulative, annual),
    signatures: {
      filler: filler
        ? {
            name: filler.name,
            phone: filler.phone,
            signedAt: filler.signedAt,
            figuresHash: filler.figuresHash,
          }
        : null,
      leader: leader ? { name: leader.name, signedAt: leader.signedAt } : null,
    },
    submittedAt: state.submittedAt,
    firstSubmittedAt: state.firstSubmittedAt,
    deadline: scope.deadline.toISOString(),
    timeliness: timeliness(state, scope.deadline, input.judgedAt, owes(scope.unit.owedFrom, scope.period)),
    overdue: state.overdue,
    reconciliation: {
      platform: input.platformTraining,
      difference:
        input.platformTraining === null || !state.figures
          ? null
          : state.figures.training - input.platformTraining,
    },
    warnings: state.figures
      ? reportWarnings({ figures: state.figures, cumulative, annual, schoolsSum: input.schoolsSum })
      : [],
    returnReason: input.state.returnReason,
    returnedAt: input.state.returnedAt,
    amendmentReason: state.revision > 1 ? state.amendmentReason : null,
    reviewer: scope.reviewer,
    scan: scanView(state.scan, input.scanDeliveries),
    signedForm: state.signedForm,
    pendingEarlier: input.pendingEarlier ?? [],
  };
  if (scope.unit.kind === 'region') view.schoolsSum = input.schoolsSum;
  return view;
}

/** What `reportView` needs besides the folded stream (the figures around the report), and the view itself. */
@Injectable()
export class ReportViews {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** The view of a folded state: what a GET answers, and what a command answers with its new state. */
  render(
    scope: ReportScope,
    state: ReportFold,
    version: number,
    official: OfficialAround,
    asOf?: Date,
  ): { body: ReportView; version: number } {
    // A report read as of a future instant is judged now: nobody is missing a deadline that has not come.
    const now = this.clock.now();
    const judgedAt = asOf && asOf.getTime() < now.getTime() ? asOf : now;
    const body = reportView({ scope, state, version, ...official, judgedAt });
    return { body, version };
  }

  /** The official figures around a report (earlier months, a region's schools) and the rest of its view. */
  async officialAround(unitCode: string, period: string, asOf?: Date): Promise<OfficialAround> {
    const around = await readOfficialAround(this.db, unitCode, period, asOf);
    const earlierOfficial = around.official.filter((r) => !r.school && r.figures).map((r) => r.figures!);
    const schools = around.official.filter((r) => r.school);
    const schoolsSum =
      schools.length === 0
        ? null
        : schools.reduce((sum, r) => (r.figures ? addFigures(sum, r.figures) : sum), zeroFigures());
    const { platformTraining, scanDeliveries, pendingEarlier } = around;
    return { earlierOfficial, schoolsSum, platformTraining, scanDeliveries, pendingEarlier };
  }
}
