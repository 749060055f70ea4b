import type { RefuseSignature } from './report.commands';
import type { ReportSignatureRefused } from './report.events';
import {
  amendCmd,
  amendmentOpened,
  deadline,
  entered,
  f1,
  f2,
  given,
  inReview,
  leader,
  march,
  markOverdue,
  official,
  overdue,
  returned,
  signedByFiller,
  submitted,
  utc,
} from './testing';

describe('report decider', () => {
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
});
