import { createHash } from 'node:crypto';
import { Actor, SYSTEM_ACTOR } from '../shared/actor';
import { Figures } from '../shared/figures';
import { actorOf, deciderSpec } from '../shared/testing';
import {
  AmendReport,
  EnterFigures,
  MarkOverdue,
  RefuseSignature,
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
  ReportSignatureRefused,
  ReportSignedByFiller,
  ReportSubmitted,
} from './report.events';
import { figuresHash } from './report.rules';

const { given } = deciderSpec(reportDecider);

// The March 2024 report of 郑州工业应用技术学院.
const periodStart = '2024-02-29T16:00:00.000Z';
const deadline = '2024-03-30T16:00:00.000Z';
const filler = actorOf('filler', 'U01', 'u-filler');
const leader = actorOf('leader', 'U01', 'u-leader');
const reviewer = actorOf('province-admin', 'province', 'u-admin');
const march = (day: number, hour = 10) =>
  `2024-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`;
const utc = (iso: string) => new Date(iso).toISOString();

const f1: Figures = { training: 600, certified: 500, advanced: 260, onePlusX: 90 };
const f2: Figures = { training: 650, certified: 520, advanced: 270, onePlusX: 95 };

const enter = (
  figures: Figures = f1,
  more: Partial<EnterFigures['data']> = {},
  at = march(10),
): EnterFigures => ({
  type: 'EnterFigures',
  data: { figures, periodStart, periodInPlan: true, ...more },
  at,
  actor: filler,
});
const signFiller = (
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
const signLeader = (name = '李四', actor: Actor = leader, at = march(21)): SignAsLeader => ({
  type: 'SignAsLeader',
  data: { name },
  at,
  actor,
});
const reviewCmd = (decision: 'accept' | 'return', reason?: string): ReviewReport => ({
  type: 'ReviewReport',
  data: reason === undefined ? { decision } : { decision, reason },
  at: march(25),
  actor: reviewer,
});
const amendCmd = (figures: Figures = f2, reason = '补录漏报的培训'): AmendReport => ({
  type: 'AmendReport',
  data: { figures, reason },
  at: '2024-04-02T10:00:00+08:00',
  actor: filler,
});
const markOverdue = (at = '2024-03-31T00:05:00+08:00'): MarkOverdue => ({
  type: 'MarkOverdue',
  data: { deadline },
  at,
  actor: SYSTEM_ACTOR,
});

const entered = (figures: Figures = f1, revision = 1): ReportFiguresEntered => ({
  type: 'ReportFiguresEntered',
  data: { revision, figures },
});
const fillerSigned = (figures: Figures = f1, revision = 1, at = march(20)): ReportSignedByFiller => ({
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
const submitted = (revision = 1, at = march(21)): ReportSubmitted => ({
  type: 'ReportSubmitted',
  data: { revision, userId: 'u-leader', name: '李四', signedAt: utc(at) },
});
const accepted = (figures: Figures = f1, revision = 1): ReportAccepted => ({
  type: 'ReportAccepted',
  data: { revision, figures, acceptedAt: utc(march(25)) },
});
const returned = (reason = '培训人次与平台不一致'): ReportReturned => ({
  type: 'ReportReturned',
  data: { revision: 1, reason },
});
const amendmentOpened: ReportAmendmentOpened = {
  type: 'ReportAmendmentOpened',
  data: { revision: 2, figures: f2, reason: '补录漏报的培训' },
};
const overdue: ReportMarkedOverdue = { type: 'ReportMarkedOverdue', data: { deadline } };

const signedByFiller: ReportEvent[] = [entered(), fillerSigned()];
const inReview: ReportEvent[] = [...signedByFiller, submitted()];
const official: ReportEvent[] = [...inReview, accepted()];

describe('report decider', () => {
  describe('EnterFigures', () => {
    it('starts revision 1 as a draft with the figures entered', () => {
      given([]).when(enter()).then([entered()]);
    });

    it('records a note with the figures', () => {
      given([])
        .when(enter(f1, { note: ' 含校外培训 ' }))
        .then([{ type: 'ReportFiguresEntered', data: { revision: 1, figures: f1, note: '含校外培训' } }]);
    });

    it('changes the figures of a draft', () => {
      given([entered()])
        .when(enter(f2))
        .then([entered(f2)]);
    });

    it('changes figures the filler already signed, which voids the signature', () => {
      given(signedByFiller)
        .when(enter(f2))
        .then([entered(f2)]);
    });

    it('does nothing when a draft gets the same figures and note again', () => {
      given([entered()])
        .when(enter({ ...f1 }))
        .thenNothing();
    });

    it('records the same figures with a new note', () => {
      given([entered()])
        .when(enter(f1, { note: '说明' }))
        .then([{ type: 'ReportFiguresEntered', data: { revision: 1, figures: f1, note: '说明' } }]);
    });

    it('keeps the revision of an amendment being drafted', () => {
      given([...official, amendmentOpened])
        .when(enter(f1))
        .then([entered(f1, 2)]);
    });

    it('opens the period at midnight Shanghai on the 1st', () => {
      given([])
        .when(enter(f1, {}, '2024-03-01T00:00:00+08:00'))
        .then([entered()]);
    });

    it('refuses a month that has not begun', () => {
      given([])
        .when(enter(f1, {}, '2024-02-29T23:59:59.999+08:00'))
        .thenThrows('PERIOD_NOT_OPEN');
    });

    it('refuses a month that is not in the plan', () => {
      given([])
        .when(enter(f1, { periodInPlan: false }))
        .thenThrows('NOT_FOUND');
    });

    it('refuses advanced above certified', () => {
      given([])
        .when(enter({ ...f1, advanced: 501 }))
        .thenThrows('ADVANCED_EXCEEDS_CERTIFIED');
    });

    it('refuses negative, fractional, too large or missing figures', () => {
      for (const bad of [
        { ...f1, training: -1 },
        { ...f1, certified: 1.5 },
        { ...f1, onePlusX: 1_000_000_001 },
      ]) {
        given([]).when(enter(bad)).thenThrows('VALIDATION_FAILED');
      }
      const missing = { training: 1, certified: 1, advanced: 1 } as Figures;
      const error = given([]).when(enter(missing)).thenThrows('VALIDATION_FAILED');
      expect(error.errors).toEqual([expect.objectContaining({ field: 'figures.onePlusX' })]);
    });

    it('records exactly the four metrics, whatever else the client sent', () => {
      given([])
        .when(enter({ ...f1, extra: 1 } as Figures))
        .then([entered()]);
    });

    it('refuses a time without an offset', () => {
      given([])
        .when(enter(f1, {}, '2024-03-10 10:00'))
        .thenThrows('VALIDATION_FAILED');
    });

    it('refuses a submitted report', () => {
      given(inReview).when(enter(f2)).thenThrows('INVALID_TRANSITION');
    });

    it('refuses an accepted report: changes go through an amendment', () => {
      given(official).when(enter(f2)).thenThrows('INVALID_TRANSITION');
    });
  });

  describe('SignAsFiller', () => {
    it('signs a draft, binding the hash of exactly the figures signed', () => {
      given([entered()]).when(signFiller()).then([fillerSigned()]);
    });

    it('hashes the canonical JSON of the figures in a fixed key order', () => {
      const json = '{"training":600,"certified":500,"advanced":260,"onePlusX":90}';
      expect(figuresHash({ onePlusX: 90, advanced: 260, certified: 500, training: 600 })).toBe(
        createHash('sha256').update(json).digest('hex'),
      );
    });

    it('signs a draft that was returned', () => {
      given([...inReview, returned()])
        .when(signFiller())
        .then([fillerSigned()]);
    });

    it('refuses a report with no figures', () => {
      given([]).when(signFiller()).thenThrows('INVALID_TRANSITION');
    });

    it('refuses a report the filler already signed', () => {
      given(signedByFiller).when(signFiller()).thenThrows('INVALID_TRANSITION');
    });

    it('refuses a submitted or accepted report', () => {
      given(inReview).when(signFiller()).thenThrows('INVALID_TRANSITION');
      given(official).when(signFiller()).thenThrows('INVALID_TRANSITION');
    });

    it('refuses a blank name or phone', () => {
      given([entered()]).when(signFiller(' ')).thenThrows('VALIDATION_FAILED');
      given([entered()]).when(signFiller('张三', '')).thenThrows('VALIDATION_FAILED');
    });
  });

  describe('SignAsLeader', () => {
    it('submits a report the filler signed', () => {
      given(signedByFiller).when(signLeader()).then([submitted()]);
    });

    it('refuses a draft the filler has not signed', () => {
      given([entered()]).when(signLeader()).thenThrows('INVALID_TRANSITION');
    });

    it('refuses a report already submitted', () => {
      given(inReview).when(signLeader()).thenThrows('INVALID_TRANSITION');
    });

    it('refuses the same user who signed as filler', () => {
      given(signedByFiller)
        .when(signLeader('王五', { ...leader, userId: 'u-filler' }))
        .thenThrows('SAME_SIGNER');
    });

    it("refuses a leader whose name is the filler's name, spaces aside", () => {
      given(signedByFiller).when(signLeader(' 张三 ')).thenThrows('SAME_SIGNER');
      given(signedByFiller).when(signLeader('张 三')).thenThrows('SAME_SIGNER');
    });

    it('refuses a blank name', () => {
      given(signedByFiller).when(signLeader('  ')).thenThrows('VALIDATION_FAILED');
    });
  });

  describe('ReviewReport', () => {
    it('accepts a submitted report, which becomes official', () => {
      given(inReview).when(reviewCmd('accept')).then([accepted()]);
    });

    it("records the reviewer's remark on acceptance", () => {
      given(inReview)
        .when(reviewCmd('accept', '同意'))
        .then([{ type: 'ReportAccepted', data: { ...accepted().data, reason: '同意' } }]);
    });

    it('returns a submitted report with a reason', () => {
      given(inReview).when(reviewCmd('return', '培训人次与平台不一致')).then([returned()]);
    });

    it('refuses to return a report without a reason', () => {
      given(inReview).when(reviewCmd('return', ' ')).thenThrows('REASON_REQUIRED');
      given(inReview).when(reviewCmd('return')).thenThrows('REASON_REQUIRED');
    });

    it('refuses a report that is not submitted', () => {
      given(signedByFiller).when(reviewCmd('accept')).thenThrows('INVALID_TRANSITION');
      given(official).when(reviewCmd('accept')).thenThrows('INVALID_TRANSITION');
    });

    it('refuses a decision other than accept or return', () => {
      given(inReview)
        .when(reviewCmd('approve' as 'accept'))
        .thenThrows('VALIDATION_FAILED');
    });
  });

  describe('AmendReport', () => {
    it('opens the next revision as a draft with the new figures', () => {
      given(official).when(amendCmd()).then([amendmentOpened]);
    });

    it('refuses a report that is not accepted', () => {
      given(inReview).when(amendCmd()).thenThrows('INVALID_TRANSITION');
      given([...official, amendmentOpened])
        .when(amendCmd())
        .thenThrows('INVALID_TRANSITION');
    });

    it('refuses an amendment without a reason', () => {
      given(official).when(amendCmd(f2, '')).thenThrows('REASON_REQUIRED');
    });

    it('refuses advanced above certified', () => {
      given(official)
        .when(amendCmd({ ...f2, advanced: 999 }))
        .thenThrows('ADVANCED_EXCEEDS_CERTIFIED');
    });

    it('refuses bad figures', () => {
      given(official)
        .when(amendCmd({ ...f2, training: -5 }))
        .thenThrows('VALIDATION_FAILED');
    });

    it('does nothing when the figures equal the official ones', () => {
      given(official).when(amendCmd(f1)).thenNothing();
    });
  });

  describe('RefuseSignature', () => {
    const refuse = (reason = '取证人数与台账不符'): RefuseSignature => ({
      type: 'RefuseSignature',
      data: { name: '李四', reason },
      at: utc(march(21)),
      actor: leader,
    });
    const refused: ReportSignatureRefused = {
      type: 'ReportSignatureRefused',
      data: { revision: 1, userId: 'u-leader', name: '李四', reason: '取证人数与台账不符' },
    };

    it('sends a filler-signed report back to the filler with the reason', () => {
      given(signedByFiller).when(refuse()).then([refused]);
    });

    it('voids the filler signature and leaves a draft that shows why', () => {
      given([...signedByFiller, refused]).thenState((s) => {
        expect(s.status).toBe('draft');
        expect(s.signatures).toEqual({ filler: null, leader: null });
        expect(s.returnReason).toBe('取证人数与台账不符');
      });
    });

    it('needs a reason', () => {
      given(signedByFiller).when(refuse('  ')).thenThrows('REASON_REQUIRED');
    });

    it('refuses out of order: nothing signed yet, or already submitted', () => {
      given([entered()]).when(refuse()).thenThrows('INVALID_TRANSITION');
      given(inReview).when(refuse()).thenThrows('INVALID_TRANSITION');
    });
  });

  describe('MarkOverdue', () => {
    it('marks a report nobody submitted once the deadline has passed', () => {
      given([]).when(markOverdue()).then([overdue]);
      given(signedByFiller).when(markOverdue()).then([overdue]);
    });

    it('marks it at the deadline itself', () => {
      given([]).when(markOverdue(deadline)).then([overdue]);
    });

    it('does nothing the second time', () => {
      given([overdue]).when(markOverdue()).thenNothing();
    });

    it('does nothing for a report whose revision 1 was submitted, even if it was returned', () => {
      given(inReview).when(markOverdue()).thenNothing();
      given([...inReview, returned()])
        .when(markOverdue())
        .thenNothing();
    });

    it('marks a report first submitted after the deadline when no sweep marked it in time', () => {
      const late = [...signedByFiller, submitted(1, '2024-04-02T10:00:00+08:00')];
      given(late).when(markOverdue('2024-04-02T11:00:00+08:00')).then([overdue]);
    });

    it('does nothing when the sweep runs before the deadline', () => {
      given([]).when(markOverdue('2024-03-30T23:59:59+08:00')).thenNothing();
    });

    it('refuses a malformed deadline', () => {
      given([])
        .when({ ...markOverdue(), data: { deadline: 'soon' } })
        .thenThrows('VALIDATION_FAILED');
    });
  });

  describe('state', () => {
    it('starts not started, with no revision, figures or signatures', () => {
      given([]).thenState((s) => {
        expect(s.status).toBe('not-started');
        expect(s.revision).toBe(0);
        expect(s.figures).toBeNull();
        expect(s.signatures).toEqual({ filler: null, leader: null });
      });
    });

    it('holds both signatures once submitted, and the first submission of revision 1', () => {
      given(inReview).thenState((s) => {
        expect(s.status).toBe('submitted');
        expect(s.signatures).toEqual({
          filler: {
            userId: 'u-filler',
            name: '张三',
            phone: '0371-69691788',
            figuresHash: figuresHash(f1),
            signedAt: utc(march(20)),
          },
          leader: { userId: 'u-leader', name: '李四', signedAt: utc(march(21)) },
        });
        expect(s.firstSubmittedAt).toBe(utc(march(21)));
      });
    });

    it('voids both signatures on a return but keeps the first submission and the reason', () => {
      given([
        ...inReview,
        returned(),
        fillerSigned(f1, 1, march(28)),
        submitted(1, '2024-04-02T09:00:00+08:00'),
      ]).thenState((s) => {
        expect(s.firstSubmittedAt).toBe(utc(march(21)));
        expect(s.submittedAt).toBe(utc('2024-04-02T09:00:00+08:00'));
        expect(s.returnReason).toBe('培训人次与平台不一致');
      });
      given([...inReview, returned()]).thenState((s) => {
        expect(s.status).toBe('draft');
        expect(s.signatures).toEqual({ filler: null, leader: null });
      });
    });

    it('voids the signatures when figures change after signing', () => {
      given([...signedByFiller, entered(f2)]).thenState((s) => {
        expect(s.status).toBe('draft');
        expect(s.signatures).toEqual({ filler: null, leader: null });
        expect(s.figures).toEqual(f2);
      });
    });

    it('keeps revision 1 official while the amendment is drafted, and replaces it when revision 2 is accepted', () => {
      const amendment = [...official, amendmentOpened];
      given(amendment).thenState((s) => {
        expect(s.status).toBe('draft');
        expect(s.revision).toBe(2);
        expect(s.figures).toEqual(f2);
        expect(s.official).toEqual({ revision: 1, figures: f1, acceptedAt: utc(march(25)) });
        expect(s.amendmentReason).toBe('补录漏报的培训');
      });
      given([
        ...amendment,
        fillerSigned(f2, 2),
        submitted(2, '2024-04-03T10:00:00+08:00'),
        accepted(f2, 2),
      ]).thenState((s) => {
        expect(s.status).toBe('accepted');
        expect(s.official?.revision).toBe(2);
        expect(s.official?.figures).toEqual(f2);
        expect(s.firstSubmittedAt).toBe(utc(march(21)));
      });
    });

    it('does not count a submission of a later revision as the first submission', () => {
      given([entered(f1, 2), fillerSigned(f1, 2), submitted(2)]).thenState((s) =>
        expect(s.firstSubmittedAt).toBeNull(),
      );
    });

    it('records the overdue mark without changing the status', () => {
      given([entered(), overdue]).thenState((s) => {
        expect(s.overdue).toBe(true);
        expect(s.overdueDeadline).toBe(deadline);
        expect(s.status).toBe('draft');
      });
    });

    it('ignores an event type it does not know rather than throwing', () => {
      const unknown = { type: 'ReportArchived', data: {} } as unknown as ReportEvent;
      given([entered(), unknown]).thenState((s) => expect(s.figures).toEqual(f1));
    });
  });
});
