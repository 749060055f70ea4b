import { oncePerBlock } from '../support/once-per-block';
import { approvalChainApp } from './approval-chain-app';
import { type Figures, reportUrl } from './report-steps';

const at = (iso: string) => iso;

/** A college's monthly reports through the chain: returned, re-signed, accepted, amended, read as of. */
describe('the approval chain of monthly reports, over HTTP', () => {
  const chain = oncePerBlock(approvalChainApp, 180_000);

  describe('a college (U01), reviewed by the province', () => {
    const jan0: Figures = { training: 600, certified: 500, advanced: 260, onePlusX: 90 };
    const jan1: Figures = { training: 620, certified: 500, advanced: 260, onePlusX: 90 };
    const jan2: Figures = { training: 720, certified: 540, advanced: 280, onePlusX: 95 };
    const feb: Figures = { training: 700, certified: 550, advanced: 300, onePlusX: 100 };
    const mar: Figures = { training: 800, certified: 600, advanced: 320, onePlusX: 110 };

    it('starts as not started, version 0, with the annual task and no figures', async () => {
      const { h, u01 } = chain;
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
      const { steps, u01 } = chain;
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
      const { h, steps, admin, u01 } = chain;
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
      const { h, steps, admin, u01 } = chain;
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
      const { h, steps, u01 } = chain;
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
      const { h, steps, u01 } = chain;
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
      const { h, steps, admin, u01 } = chain;
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
      const { h, auditor } = chain;
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
      const { h, auditor } = chain;
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
      const { h, u01 } = chain;
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
});
