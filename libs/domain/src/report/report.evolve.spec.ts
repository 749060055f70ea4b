import type { ReportEvent } from './report.events';
import { figuresHash } from './report.rules';
import {
  accepted,
  amendmentOpened,
  deadline,
  entered,
  f1,
  f2,
  fillerSigned,
  given,
  inReview,
  march,
  official,
  overdue,
  returned,
  signedByFiller,
  submitted,
  utc,
} from './testing';

describe('report decider', () => {
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
