import { startApp, type Harness } from '../support/app';
import { publishPlan2024, publishSplit, registerSchool } from '../support/plan';
import { type Figures, reportSteps, reportUrl } from './report-steps';

const at = (iso: string) => iso;

describe('the approval chain of monthly reports, over HTTP', () => {
  let h: Harness;
  let steps: ReturnType<typeof reportSteps>;
  let admin: string;
  let auditor: string;
  let u01: { filler: string; leader: string; reviewer: string };
  let school: { filler: string; leader: string; reviewer: string };
  let otherRegion: string;

  beforeAll(async () => {
    h = await startApp({ now: '2024-01-05T02:00:00.000Z' });
    steps = reportSteps(h);
    admin = await h.token('admin');
    await publishPlan2024(h);
    await registerSchool(h, 'R01-S1', 'R01', '郑州市第一中等专业学校');
    const regionOp = await h.user('zz-op', 'region-operator', 'R01');
    otherRegion = await h.user('kf-op', 'region-operator', 'R02');
    auditor = await h.user('auditor', 'auditor', 'province');
    u01 = {
      filler: await h.user('u01-filler', 'filler', 'U01'),
      leader: await h.user('u01-leader', 'leader', 'U01'),
      reviewer: admin,
    };
    school = {
      filler: await h.user('s1-filler', 'filler', 'R01-S1'),
      leader: await h.user('s1-leader', 'leader', 'R01-S1'),
      reviewer: regionOp,
    };
    // A school has a task only once its region publishes the split (API.md v1.1).
    await registerSchool(h, 'R01-S2', 'R01');
    await publishSplit(
      h,
      regionOp,
      'R01',
      [['R01-S1', { training: 2000, certified: 1600, onePlusX: 300 }]],
      'R01-S2',
    );
  }, 180_000);
  afterAll(() => h.close());

  describe('a college (U01), reviewed by the province', () => {
    const jan0: Figures = { training: 600, certified: 500, advanced: 260, onePlusX: 90 };
    const jan1: Figures = { training: 620, certified: 500, advanced: 260, onePlusX: 90 };
    const jan2: Figures = { training: 720, certified: 540, advanced: 280, onePlusX: 95 };
    const feb: Figures = { training: 700, certified: 550, advanced: 300, onePlusX: 100 };
    const mar: Figures = { training: 800, certified: 600, advanced: 320, onePlusX: 110 };

    it('starts as not started, version 0, with the annual task and no figures', async () => {
      h.clock.set('2024-01-10T02:00:00.000Z');
      const res = await h.as(u01.filler).get(reportUrl('U01', '2024-01'));
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"0"');
      expect(res.body).toMatchObject({
        unitCode: 'U01',
        period: '2024-01',
        version: 0,
        revision: 0,
        status: 'not-started',
        figures: null,
        official: null,
        cumulative: { training: 0, certified: 0, advanced: 0, onePlusX: 0 },
        annual: { training: 7400, certified: 6300, advanced: 3200, onePlusX: 1140 },
        rate: { training: 0, certified: 0, advanced: 0, onePlusX: 0 },
        signatures: { filler: null, leader: null },
        submittedAt: null,
        deadline: '2024-01-30T16:00:00.000Z',
        timeliness: 'pending',
        warnings: [],
      });
    });

    it('takes a draft, both signatures, and submits it on time', async () => {
      const draft = await steps.enter(u01.filler, 'U01', '2024-01', jan0, '含校外培训');
      expect(draft.status).toBe(200);
      expect(draft.headers.etag).toBe('"1"');
      expect(draft.body).toMatchObject({
        status: 'draft',
        version: 1,
        revision: 1,
        figures: jan0,
        note: '含校外培训',
      });
      expect(draft.body.rate).toEqual({ training: 8.1, certified: 7.9, advanced: 8.1, onePlusX: 7.9 });

      const filler = await steps.sign(u01.filler, 'U01', '2024-01', '张三', '0371-69691788');
      expect(filler.status).toBe(200);
      expect(filler.body.status).toBe('signed-by-filler');
      expect(filler.body.signatures.filler).toMatchObject({ name: '张三', phone: '0371-69691788' });

      const leader = await steps.sign(u01.leader, 'U01', '2024-01', '李四');
      expect(leader.status).toBe(200);
      expect(leader.headers.etag).toBe('"3"');
      expect(leader.body).toMatchObject({
        status: 'submitted',
        submittedAt: '2024-01-10T02:00:00.000Z',
        timeliness: 'on-time',
        signatures: { leader: { name: '李四', signedAt: '2024-01-10T02:00:00.000Z' } },
      });
    });

    it('goes back to draft on a return, signatures void and the reason shown', async () => {
      h.clock.set('2024-01-12T02:00:00.000Z');
      const returned = await steps.review(admin, 'U01', '2024-01', 'return', '培训人次与平台不一致');
      expect(returned.status).toBe(200);
      expect(returned.body).toMatchObject({
        status: 'draft',
        signatures: { filler: null, leader: null },
        returnReason: '培训人次与平台不一致',
        returnedAt: '2024-01-12T02:00:00.000Z',
        official: null,
      });
      const read = await h.as(u01.filler).get(reportUrl('U01', '2024-01'));
      expect(read.body).toEqual(returned.body);
    });

    it('is re-signed after the deadline and stays on time (judged by the first submission)', async () => {
      h.clock.set('2024-02-02T02:00:00.000Z');
      expect((await steps.enter(u01.filler, 'U01', '2024-01', jan1)).status).toBe(200);
      expect((await steps.sign(u01.filler, 'U01', '2024-01', '张三', '0371-69691788')).status).toBe(200);
      const resubmitted = await steps.sign(u01.leader, 'U01', '2024-01', '李四');
      expect(resubmitted.body).toMatchObject({
        status: 'submitted',
        submittedAt: '2024-02-02T02:00:00.000Z',
        firstSubmittedAt: '2024-01-10T02:00:00.000Z',
        timeliness: 'on-time',
        returnReason: null,
      });
      const accepted = await steps.review(admin, 'U01', '2024-01', 'accept');
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({
        status: 'accepted',
        figures: jan1,
        official: { revision: 1, figures: jan1, acceptedAt: '2024-02-02T02:00:00.000Z' },
      });
    });

    it('adds the official figures of earlier months to this month', async () => {
      h.clock.set('2024-02-20T02:00:00.000Z');
      await steps.official(u01, 'U01', '2024-02', feb);
      h.clock.set('2024-03-20T02:00:00.000Z');
      await steps.official(u01, 'U01', '2024-03', mar);
      const march = await h.as(u01.leader).get(reportUrl('U01', '2024-03'));
      expect(march.body.cumulative).toEqual({
        training: 2120,
        certified: 1650,
        advanced: 880,
        onePlusX: 300,
      });
      expect(march.body.rate).toEqual({ training: 28.6, certified: 26.2, advanced: 27.5, onePlusX: 26.3 });
      const april = await h.as(u01.leader).get(reportUrl('U01', '2024-04'));
      expect(april.body.cumulative).toEqual(march.body.cumulative);
    });

    it('keeps the accepted revision official while an amendment is drafted', async () => {
      h.clock.set('2024-04-02T02:00:00.000Z');
      const noReason = await h
        .as(u01.filler)
        .post(`${reportUrl('U01', '2024-01')}/amendments`)
        .set('If-Match', await steps.etag(u01.filler, 'U01', '2024-01'))
        .send({ figures: jan2 });
      expect(noReason.status).toBe(422);
      expect(noReason.body.code).toBe('REASON_REQUIRED');
      const amended = await steps.amend(u01.filler, 'U01', '2024-01', jan2, '补录漏报的校外培训');
      expect(amended.status).toBe(200);
      expect(amended.body).toMatchObject({
        status: 'draft',
        revision: 2,
        figures: jan2,
        official: { revision: 1, figures: jan1 },
        amendmentReason: '补录漏报的校外培训',
      });
      const march = await h.as(u01.filler).get(reportUrl('U01', '2024-03'));
      expect(march.body.cumulative.training).toBe(2120);
    });

    it('moves every later cumulative figure and rate once the amendment is accepted', async () => {
      h.clock.set('2024-04-03T02:00:00.000Z');
      expect((await steps.sign(u01.filler, 'U01', '2024-01', '张三', '0371-69691788')).status).toBe(200);
      expect((await steps.sign(u01.leader, 'U01', '2024-01', '李四')).status).toBe(200);
      const accepted = await steps.review(admin, 'U01', '2024-01', 'accept', '同意');
      expect(accepted.body).toMatchObject({
        status: 'accepted',
        revision: 2,
        official: { revision: 2, figures: jan2 },
        timeliness: 'on-time',
      });
      const feb2 = await h.as(admin).get(reportUrl('U01', '2024-02'));
      expect(feb2.body.cumulative).toEqual({ training: 1420, certified: 1090, advanced: 580, onePlusX: 195 });
      const march = await h.as(admin).get(reportUrl('U01', '2024-03'));
      expect(march.body.cumulative).toEqual({
        training: 2220,
        certified: 1690,
        advanced: 900,
        onePlusX: 305,
      });
      expect(march.body.rate).toEqual({ training: 30, certified: 26.8, advanced: 28.1, onePlusX: 26.8 });
    });

    it('shows the report and its cumulative figures as they stood at an earlier instant', async () => {
      const asOf = (period: string, instant: string) =>
        h.as(auditor).get(`${reportUrl('U01', period)}?asOf=${encodeURIComponent(instant)}`);
      const duringAmendment = await asOf('2024-01', '2024-04-02T10:00:00+08:00');
      expect(duringAmendment.status).toBe(200);
      expect(duringAmendment.body).toMatchObject({ status: 'draft', revision: 2, official: { revision: 1 } });
      const march = await asOf('2024-03', '2024-04-02T10:00:00+08:00');
      expect(march.body.cumulative.training).toBe(2120);
      const beforeReturn = await asOf('2024-01', at('2024-01-11T00:00:00Z'));
      expect(beforeReturn.body).toMatchObject({ status: 'submitted', version: 3, timeliness: 'on-time' });
      expect(beforeReturn.headers.etag).toBe('"3"');
      const beforeAnything = await asOf('2024-01', '2024-01-09T00:00:00Z');
      expect(beforeAnything.body).toMatchObject({ status: 'not-started', version: 0, timeliness: 'pending' });
    });

    it('lists every event with actor, role, time and data', async () => {
      const res = await h.as(auditor).get(`${reportUrl('U01', '2024-01')}/history`);
      expect(res.status).toBe(200);
      expect(res.body.map((e: any) => e.type)).toEqual([
        'ReportFiguresEntered',
        'ReportSignedByFiller',
        'ReportSubmitted',
        'ReportReturned',
        'ReportFiguresEntered',
        'ReportSignedByFiller',
        'ReportSubmitted',
        'ReportAccepted',
        'ReportAmendmentOpened',
        'ReportSignedByFiller',
        'ReportSubmitted',
        'ReportAccepted',
      ]);
      expect(res.body[3]).toMatchObject({
        type: 'ReportReturned',
        actor: 'admin',
        role: 'province-admin',
        recordedAt: '2024-01-12T02:00:00.000Z',
        data: { revision: 1, reason: '培训人次与平台不一致' },
      });
      expect(typeof res.body[0].position).toBe('number');
      expect(res.headers.etag).toBe('"12"');
    });

    it('compares two revisions figure by figure, with who and why', async () => {
      const res = await h.as(u01.leader).get(`${reportUrl('U01', '2024-01')}/diff?from=1&to=2`);
      expect(res.status).toBe(200);
      expect(res.body.changes).toEqual([
        { metric: 'training', label: '培训任务', from: 620, to: 720, delta: 100 },
        { metric: 'certified', label: '取证人数', from: 500, to: 540, delta: 40 },
        { metric: 'advanced', label: '其中高级工及以上', from: 260, to: 280, delta: 20 },
        { metric: 'onePlusX', label: '1+X 证书取证人数', from: 90, to: 95, delta: 5 },
      ]);
      expect(res.body.to).toMatchObject({
        revision: 2,
        reason: '补录漏报的校外培训',
        openedBy: { actor: 'u01-filler', role: 'filler' },
        accepted: { actor: 'admin', role: 'province-admin', remark: '同意' },
      });
      expect(res.body.from.returns).toEqual([
        expect.objectContaining({ actor: 'admin', reason: '培训人次与平台不一致' }),
      ]);
      expect((await h.as(u01.leader).get(`${reportUrl('U01', '2024-01')}/diff?from=1&to=3`)).status).toBe(
        404,
      );
      expect((await h.as(u01.leader).get(`${reportUrl('U01', '2024-01')}/diff?from=x&to=2`)).status).toBe(
        400,
      );
    });
  });

  describe('a city school (R01-S1), reviewed by its region', () => {
    const jan0: Figures = { training: 100, certified: 80, advanced: 10, onePlusX: 20 };
    const jan1: Figures = { training: 110, certified: 80, advanced: 10, onePlusX: 20 };
    const feb: Figures = { training: 120, certified: 90, advanced: 15, onePlusX: 25 };
    const feb2: Figures = { training: 140, certified: 90, advanced: 15, onePlusX: 25 };
    const mar: Figures = { training: 130, certified: 100, advanced: 20, onePlusX: 30 };

    it("takes the school's share of the region's split as its task, with no task for advanced", async () => {
      h.clock.set('2024-04-10T02:00:00.000Z');
      const res = await h.as(school.filler).get(reportUrl('R01-S1', '2024-01'));
      expect(res.body.annual).toEqual({ training: 2000, certified: 1600, advanced: null, onePlusX: 300 });
      expect(res.body.rate.advanced).toBeNull();
    });

    it('is returned by the region, re-signed and accepted; a province admin may not review it', async () => {
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
      for (const token of [school.filler, school.leader, school.reviewer, admin, auditor]) {
        expect((await h.as(token).get(reportUrl('R01-S1', '2024-03'))).status).toBe(200);
      }
      expect((await h.as(otherRegion).get(reportUrl('R01-S1', '2024-03'))).status).toBe(403);
      expect((await h.as(u01.filler).get(reportUrl('R01-S1', '2024-03'))).status).toBe(403);
      expect((await h.as(otherRegion).get(`${reportUrl('R01-S1', '2024-03')}/history`)).status).toBe(403);
    });
  });
});
