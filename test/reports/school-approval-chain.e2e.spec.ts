import { oncePerBlock } from '../support/once-per-block';
import { approvalChainApp } from './approval-chain-app';
import { type Figures, reportUrl } from './report-steps';

/** A city school's reports, reviewed by its region (not the province), with the region's split as task. */
describe('the approval chain of monthly reports, over HTTP', () => {
  const chain = oncePerBlock(approvalChainApp, 180_000);

  describe('a city school (R01-S1), reviewed by its region', () => {
    const jan0: Figures = { training: 100, certified: 80, advanced: 10, onePlusX: 20 };
    const jan1: Figures = { training: 110, certified: 80, advanced: 10, onePlusX: 20 };
    const feb: Figures = { training: 120, certified: 90, advanced: 15, onePlusX: 25 };
    const feb2: Figures = { training: 140, certified: 90, advanced: 15, onePlusX: 25 };
    const mar: Figures = { training: 130, certified: 100, advanced: 20, onePlusX: 30 };

    it("takes the school's share of the region's split as its task, with no task for advanced", async () => {
      const { h, school } = chain;
      h.clock.set('2024-04-10T02:00:00.000Z');
      const res = await h.as(school.filler).get(reportUrl('R01-S1', '2024-01'));
      expect(res.body.annual).toEqual({ training: 2000, certified: 1600, advanced: null, onePlusX: 300 });
      expect(res.body.rate.advanced).toBeNull();
    });

    it('is returned by the region, re-signed and accepted; a province admin may not review it', async () => {
      const { h, steps, admin, school, otherRegion } = chain;
      expect((await steps.enter(school.filler, 'R01-S1', '2024-01', jan0)).status).toBe(200);
      expect((await steps.sign(school.filler, 'R01-S1', '2024-01', '王五', '0371-12345678')).status).toBe(
        200,
      );
      expect((await steps.sign(school.leader, 'R01-S1', '2024-01', '赵六')).status).toBe(200);

      const byProvince = await steps.review(admin, 'R01-S1', '2024-01', 'accept');
      expect(byProvince.status).toBe(403);
      expect(byProvince.body.code).toBe('FORBIDDEN');
      const byOtherRegion = await h
        .as(otherRegion)
        .post(`${reportUrl('R01-S1', '2024-01')}/review`)
        .set('If-Match', await steps.etag(school.filler, 'R01-S1', '2024-01'))
        .send({ decision: 'accept' });
      expect(byOtherRegion.status).toBe(403);

      const returned = await steps.review(
        school.reviewer,
        'R01-S1',
        '2024-01',
        'return',
        '取证人数缺少证明材料',
      );
      expect(returned.status).toBe(200);
      expect(returned.body).toMatchObject({ status: 'draft', returnReason: '取证人数缺少证明材料' });
      // The deadline passed long ago and nothing was submitted in time: late, not missing.
      expect(returned.body.timeliness).toBe('late');

      expect((await steps.enter(school.filler, 'R01-S1', '2024-01', jan1)).status).toBe(200);
      expect((await steps.sign(school.filler, 'R01-S1', '2024-01', '王五', '0371-12345678')).status).toBe(
        200,
      );
      expect((await steps.sign(school.leader, 'R01-S1', '2024-01', '赵六')).status).toBe(200);
      const accepted = await steps.review(school.reviewer, 'R01-S1', '2024-01', 'accept');
      expect(accepted.status).toBe(200);
      expect(accepted.body.official).toMatchObject({ revision: 1, figures: jan1 });
    });

    it('adds up three months, and an amended February moves March', async () => {
      const { h, steps, admin, school } = chain;
      await steps.official(school, 'R01-S1', '2024-02', feb);
      await steps.official(school, 'R01-S1', '2024-03', mar);
      const before = await h.as(school.reviewer).get(reportUrl('R01-S1', '2024-03'));
      expect(before.body.cumulative).toEqual({ training: 360, certified: 270, advanced: 45, onePlusX: 75 });
      expect(before.body.rate).toEqual({ training: 18, certified: 16.9, advanced: null, onePlusX: 25 });

      const amended = await steps.amend(school.filler, 'R01-S1', '2024-02', feb2, '补录二月培训');
      expect(amended.body).toMatchObject({ status: 'draft', revision: 2 });
      expect((await steps.sign(school.filler, 'R01-S1', '2024-02', '王五', '0371-12345678')).status).toBe(
        200,
      );
      expect((await steps.sign(school.leader, 'R01-S1', '2024-02', '赵六')).status).toBe(200);
      expect((await steps.review(admin, 'R01-S1', '2024-02', 'accept')).status).toBe(403);
      const accepted = await steps.review(school.reviewer, 'R01-S1', '2024-02', 'accept');
      expect(accepted.body.official).toMatchObject({ revision: 2, figures: feb2 });

      const after = await h.as(school.reviewer).get(reportUrl('R01-S1', '2024-03'));
      expect(after.body.cumulative).toEqual({ training: 380, certified: 270, advanced: 45, onePlusX: 75 });
      expect(after.body.rate).toEqual({ training: 19, certified: 16.9, advanced: null, onePlusX: 25 });
    });

    it('is read by the school, its region, the province and auditors; not by another region', async () => {
      const { h, admin, auditor, u01, school, otherRegion } = chain;
      for (const token of [school.filler, school.leader, school.reviewer, admin, auditor]) {
        expect((await h.as(token).get(reportUrl('R01-S1', '2024-03'))).status).toBe(200);
      }
      expect((await h.as(otherRegion).get(reportUrl('R01-S1', '2024-03'))).status).toBe(403);
      expect((await h.as(u01.filler).get(reportUrl('R01-S1', '2024-03'))).status).toBe(403);
      expect((await h.as(otherRegion).get(`${reportUrl('R01-S1', '2024-03')}/history`)).status).toBe(403);
    });
  });
});
