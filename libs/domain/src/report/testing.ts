/** Commands and events of one March 2024 report, shared by the report decider's specs. */
import { Actor, SYSTEM_ACTOR } from '../shared/actor';
import { Figures } from '../shared/figures';
import { actorOf, deciderSpec } from '../shared/testing';
import {
  AmendReport,
  EnterFigures,
  MarkOverdue,
  ReviewReport,
  SignAsFiller,
  SignAsLeader,
} from './report.commands';
import { reportDecider } from './report.decider';
import {
  ReportAccepted,
  ReportAmendmentOpened,
  ReportEvent,
  ReportFiguresEntered,
  ReportMarkedOverdue,
  ReportReturned,
  ReportSignedByFiller,
  ReportSubmitted,
} from './report.events';
import { figuresHash } from './report.rules';

export const { given } = deciderSpec(reportDecider);

// The March 2024 report of 郑州工业应用技术学院.
export const periodStart = '2024-02-29T16:00:00.000Z';
export const deadline = '2024-03-30T16:00:00.000Z';
export const filler = actorOf('filler', 'U01', 'u-filler');
export const leader = actorOf('leader', 'U01', 'u-leader');
export const reviewer = actorOf('province-admin', 'province', 'u-admin');
export const march = (day: number, hour = 10) =>
  `2024-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`;
export const utc = (iso: string) => new Date(iso).toISOString();

export const f1: Figures = { training: 600, certified: 500, advanced: 260, onePlusX: 90 };
export const f2: Figures = { training: 650, certified: 520, advanced: 270, onePlusX: 95 };

export const enter = (
  figures: Figures = f1,
  more: Partial<EnterFigures['data']> = {},
  at = march(10),
): EnterFigures => ({
  type: 'EnterFigures',
  data: { figures, periodStart, periodInPlan: true, ...more },
  at,
  actor: filler,
});
export const signFiller = (
  name = '张三',
  phone = '0371-69691788',
  actor: Actor = filler,
  at = march(20),
): SignAsFiller => ({
  type: 'SignAsFiller',
  data: { name, phone },
  at,
  actor,
});
export const signLeader = (name = '李四', actor: Actor = leader, at = march(21)): SignAsLeader => ({
  type: 'SignAsLeader',
  data: { name },
  at,
  actor,
});
export const reviewCmd = (decision: 'accept' | 'return', reason?: string): ReviewReport => ({
  type: 'ReviewReport',
  data: reason === undefined ? { decision } : { decision, reason },
  at: march(25),
  actor: reviewer,
});
export const amendCmd = (figures: Figures = f2, reason = '补录漏报的培训'): AmendReport => ({
  type: 'AmendReport',
  data: { figures, reason },
  at: '2024-04-02T10:00:00+08:00',
  actor: filler,
});
export const markOverdue = (at = '2024-03-31T00:05:00+08:00'): MarkOverdue => ({
  type: 'MarkOverdue',
  data: { deadline },
  at,
  actor: SYSTEM_ACTOR,
});

export const entered = (figures: Figures = f1, revision = 1): ReportFiguresEntered => ({
  type: 'ReportFiguresEntered',
  data: { revision, figures },
});
export const fillerSigned = (figures: Figures = f1, revision = 1, at = march(20)): ReportSignedByFiller => ({
  type: 'ReportSignedByFiller',
  data: {
    revision,
    userId: 'u-filler',
    name: '张三',
    phone: '0371-69691788',
    figuresHash: figuresHash(figures),
    signedAt: utc(at),
  },
});
export const submitted = (revision = 1, at = march(21)): ReportSubmitted => ({
  type: 'ReportSubmitted',
  data: { revision, userId: 'u-leader', name: '李四', signedAt: utc(at) },
});
export const accepted = (figures: Figures = f1, revision = 1): ReportAccepted => ({
  type: 'ReportAccepted',
  data: { revision, figures, acceptedAt: utc(march(25)) },
});
export const returned = (reason = '培训人次与平台不一致'): ReportReturned => ({
  type: 'ReportReturned',
  data: { revision: 1, reason },
});
export const amendmentOpened: ReportAmendmentOpened = {
  type: 'ReportAmendmentOpened',
  data: { revision: 2, figures: f2, reason: '补录漏报的培训' },
};
export const overdue: ReportMarkedOverdue = { type: 'ReportMarkedOverdue', data: { deadline } };

export const signedByFiller: ReportEvent[] = [entered(), fillerSigned()];
export const inReview: ReportEvent[] = [...signedByFiller, submitted()];
export const official: ReportEvent[] = [...inReview, accepted()];
