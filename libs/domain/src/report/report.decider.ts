import { Decider } from '../shared/decider';
import { DomainError } from '../shared/errors';
import { Figures } from '../shared/figures';
import {
  advancedExceedsCertified,
  invalid,
  isBlank,
  requireFigures,
  requireInstant,
  requireReason,
  requireText,
  sameFigures,
} from '../shared/validation';
import {
  AmendReport,
  EnterFigures,
  MarkOverdue,
  RefuseSignature,
  ReportCommand,
  ReviewReport,
  SignAsFiller,
  SignAsLeader,
} from './report.commands';
import { ReportEvent } from './report.events';
import { attachScan, type ReportScan, requireScanBeforeAcceptance } from './report-scan';
import { figuresHash } from './report.rules';
import { type SignedForm, signedFormAfter, signedFormOf } from './report-signed-form';

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

const MAX_NOTE = 500;

const wrongStatus = (action: string, status: ReportStatus) =>
  new DomainError('INVALID_TRANSITION', `当前状态（${STATUS_LABELS[status]}）不能${action}`);

export const STATUS_LABELS: Record<ReportStatus, string> = {
  'not-started': '未填报',
  draft: '草稿',
  'signed-by-filler': '填报人已签字',
  submitted: '已报送',
  accepted: '已确认',
};

function requireSubset(figures: Figures): Figures {
  if (advancedExceedsCertified(figures)) {
    throw new DomainError(
      'ADVANCED_EXCEEDS_CERTIFIED',
      `“其中高级工及以上”（${figures.advanced}）不能大于“取证人数”（${figures.certified}）`,
    );
  }
  return figures;
}

function enterFigures({ data, at }: EnterFigures, state: ReportState): ReportEvent[] {
  if (!data.periodInPlan) throw new DomainError('NOT_FOUND', '该月份不在年度计划内');
  const figures = requireFigures(data.figures);
  const note = isBlank(data.note) ? null : requireText(data.note, 'note', '备注', MAX_NOTE);
  if (Date.parse(requireInstant(at, 'at')) < Date.parse(requireInstant(data.periodStart, 'periodStart'))) {
    throw new DomainError('PERIOD_NOT_OPEN', '该月份尚未开始，不能填报');
  }
  if (state.status === 'submitted' || state.status === 'accepted')
    throw wrongStatus('修改数据', state.status);
  requireSubset(figures);
  if (state.status === 'draft' && state.figures && sameFigures(state.figures, figures) && state.note === note)
    return [];
  const revision = Math.max(state.revision, 1);
  return [
    {
      type: 'ReportFiguresEntered',
      data: note === null ? { revision, figures } : { revision, figures, note },
    },
  ];
}

function signAsFiller({ data, at, actor }: SignAsFiller, state: ReportState): ReportEvent[] {
  if (state.status !== 'draft' || !state.figures) throw wrongStatus('由填报人签字', state.status);
  const name = requireText(data.name, 'name', '签字人姓名', 50);
  const phone = requireText(data.phone, 'phone', '联系电话', 40);
  return [
    {
      type: 'ReportSignedByFiller',
      data: {
        revision: state.revision,
        userId: actor.userId,
        name,
        phone,
        figuresHash: figuresHash(state.figures),
        signedAt: requireInstant(at, 'at'),
      },
    },
  ];
}

function signAsLeader({ data, at, actor }: SignAsLeader, state: ReportState): ReportEvent[] {
  const filler = state.signatures.filler;
  if (state.status !== 'signed-by-filler' || !filler) throw wrongStatus('由领导小组组长签字', state.status);
  const name = requireText(data.name, 'name', '签字人姓名', 50);
  // Names are compared without any spaces: "张 三" and "张三" are the same person on paper.
  const bare = (s: string) => s.replace(/\s+/g, '');
  if (actor.userId === filler.userId || bare(name) === bare(filler.name)) {
    throw new DomainError('SAME_SIGNER', '填报人和领导小组组长不能是同一人');
  }
  const signed = { revision: state.revision, userId: actor.userId, name, signedAt: requireInstant(at, 'at') };
  if (!data.form) return [{ type: 'ReportSubmitted', data: signed }];
  const signedForm = signedFormOf(state.figures!, data.form);
  return [{ type: 'ReportSubmitted', data: { ...signed, signedForm } }];
}

function refuseSignature({ data, actor }: RefuseSignature, state: ReportState): ReportEvent[] {
  if (state.status !== 'signed-by-filler') throw wrongStatus('由领导小组组长拒签', state.status);
  const name = requireText(data.name, 'name', '签字人姓名', 50);
  const reason = requireReason(data.reason);
  return [
    {
      type: 'ReportSignatureRefused',
      data: { revision: state.revision, userId: actor.userId, name, reason },
    },
  ];
}

function review({ data, at }: ReviewReport, state: ReportState): ReportEvent[] {
  if (data.decision !== 'accept' && data.decision !== 'return') {
    throw invalid('审核结论必须是 accept 或 return', [
      { field: 'decision', code: 'INVALID_DECISION', message: '审核结论必须是 accept 或 return' },
    ]);
  }
  if (state.status !== 'submitted' || !state.figures) throw wrongStatus('审核', state.status);
  if (data.decision === 'return') {
    return [
      { type: 'ReportReturned', data: { revision: state.revision, reason: requireReason(data.reason) } },
    ];
  }
  requireScanBeforeAcceptance(data.requireScan, state);
  const acceptedAt = requireInstant(at, 'at');
  const base = { revision: state.revision, figures: state.figures, acceptedAt };
  const reason = isBlank(data.reason) ? null : requireText(data.reason, 'reason', '审核意见', 500);
  return [{ type: 'ReportAccepted', data: reason === null ? base : { ...base, reason } }];
}

function amend({ data }: AmendReport, state: ReportState): ReportEvent[] {
  if (state.status !== 'accepted' || !state.official) throw wrongStatus('修订', state.status);
  const figures = requireFigures(data.figures);
  const reason = requireReason(data.reason);
  requireSubset(figures);
  // The same figures again would open a revision that changes nothing.
  if (sameFigures(state.official.figures, figures)) return [];
  return [{ type: 'ReportAmendmentOpened', data: { revision: state.revision + 1, figures, reason } }];
}

function markOverdue({ data, at }: MarkOverdue, state: ReportState): ReportEvent[] {
  const deadline = requireInstant(data.deadline, 'deadline');
  // Already marked, or a sweep that ran early: nothing to record (yet).
  if (state.overdue) return [];
  if (Date.parse(requireInstant(at, 'at')) < Date.parse(deadline)) return [];
  // Submitted before the deadline: nothing was missing. A first submission after it still leaves the
  // fact that nothing was there when the deadline passed, even if no sweep ran in between.
  if (state.firstSubmittedAt !== null && Date.parse(state.firstSubmittedAt) < Date.parse(deadline)) return [];
  return [{ type: 'ReportMarkedOverdue', data: { deadline } }];
}

const unsigned = { filler: null, leader: null };

export const reportDecider: Decider<ReportCommand, ReportState, ReportEvent> = {
  initialState: initialReportState,

  decide(command, state) {
    switch (command.type) {
      case 'EnterFigures':
        return enterFigures(command, state);
      case 'SignAsFiller':
        return signAsFiller(command, state);
      case 'SignAsLeader':
        return signAsLeader(command, state);
      case 'RefuseSignature':
        return refuseSignature(command, state);
      case 'ReviewReport':
        return review(command, state);
      case 'AmendReport':
        return amend(command, state);
      case 'MarkOverdue':
        return markOverdue(command, state);
      case 'AttachScan':
        return attachScan(command, state);
    }
  },

  evolve: (state, event) => ({
    ...evolveStatus(state, event),
    signedForm: signedFormAfter(state.signedForm, event),
  }),
};

function evolveStatus(state: ReportState, event: ReportEvent): ReportState {
  switch (event.type) {
    case 'ReportFiguresEntered':
      return {
        ...state,
        status: 'draft',
        revision: event.data.revision,
        figures: event.data.figures,
        note: event.data.note ?? null,
        signatures: unsigned,
      };
    case 'ReportSignedByFiller': {
      const { userId, name, phone, figuresHash, signedAt } = event.data;
      return {
        ...state,
        status: 'signed-by-filler',
        signatures: { filler: { userId, name, phone, figuresHash, signedAt }, leader: null },
      };
    }
    case 'ReportSubmitted': {
      const { revision, userId, name, signedAt } = event.data;
      return {
        ...state,
        status: 'submitted',
        signatures: { ...state.signatures, leader: { userId, name, signedAt } },
        submittedAt: signedAt,
        firstSubmittedAt: state.firstSubmittedAt ?? (revision === 1 ? signedAt : null),
      };
    }
    case 'ReportAccepted': {
      const { revision, figures, acceptedAt } = event.data;
      return {
        ...state,
        status: 'accepted',
        figures,
        official: { revision, figures, acceptedAt },
        officialScan: state.scan,
      };
    }
    case 'ReportReturned':
      return {
        ...state,
        status: 'draft',
        signatures: unsigned,
        returnReason: event.data.reason,
        scan: null,
      };
    case 'ReportSignatureRefused':
      return { ...state, status: 'draft', signatures: unsigned, returnReason: event.data.reason };
    case 'ReportAmendmentOpened':
      return {
        ...state,
        status: 'draft',
        revision: event.data.revision,
        figures: event.data.figures,
        signatures: unsigned,
        amendmentReason: event.data.reason,
        scan: null,
      };
    case 'ReportMarkedOverdue':
      return { ...state, overdue: true, overdueDeadline: event.data.deadline };
    case 'ReportScanAttached': {
      const official = state.status === 'accepted' && state.official?.revision === event.data.revision;
      return { ...state, scan: event.data, officialScan: official ? event.data : state.officialScan };
    }
    default:
      return state;
  }
}
