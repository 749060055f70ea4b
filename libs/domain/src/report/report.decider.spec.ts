import type { Figures } from '../shared/figures';
import { createHash } from 'node:crypto';
import { figuresHash } from './report.rules';
import {
  accepted,
  amendmentOpened,
  enter,
  entered,
  f1,
  f2,
  fillerSigned,
  given,
  inReview,
  leader,
  official,
  returned,
  reviewCmd,
  signedByFiller,
  signFiller,
  signLeader,
  submitted,
} from './testing';

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
});
