// The monthly report's commands: one small pure function each, refusing with a stable code.
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
import { attachScan, requireScanBeforeAcceptance } from './report-scan';
import { evolveReport } from './report.evolve';
import { figuresHash } from './report.rules';
import { signedFormOf } from './report-signed-form';
import { initialReportState, type ReportState, type ReportStatus, STATUS_LABELS } from './report.state';

const MAX_NOTE = 500;

const wrongStatus = (action: string, status: ReportStatus) =>
  new DomainError('INVALID_TRANSITION', `当前状态（${STATUS_LABELS[status]}）不能${action}`);

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

  evolve: evolveReport,
};
