import { startApp, type Harness } from '../support/app';
import { publishPlan2024 } from '../support/plan';
import { eventCount, reportSteps, reportUrl } from './report-steps';

describe('a leader who will not sign', () => {
  let h: Harness;
  let filler: string;
  let leader: string;
  const march = { training: 700, certified: 600, advanced: 300, onePlusX: 100 };

  beforeAll(async () => {
    h = await startApp({ now: '2024-03-20T02:00:00.000Z' });
    await publishPlan2024(h);
    filler = await h.user('r-filler', 'filler', 'U01');
    leader = await h.user('r-leader', 'leader', 'U01');
  });
  afterAll(() => h.close());

  const refuse = async (token: string, body: object) => {
    const steps = reportSteps(h);
    return h
      .as(token)
      .post(`${reportUrl('U01', '2024-03')}/signatures/refusals`)
      .set('If-Match', await steps.etag(token, 'U01', '2024-03'))
      .send(body);
  };

  it('sends the filler-signed report back to the filler with the reason, signatures void', async () => {
    const steps = reportSteps(h);
    await steps.enter(filler, 'U01', '2024-03', march);
    await steps.sign(filler, 'U01', '2024-03', '张三', '0371-69691788');
    const res = await refuse(leader, { name: '李四', reason: '取证人数与学校台账不符，请核实' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'draft',
      signatures: { filler: null, leader: null },
      returnReason: '取证人数与学校台账不符，请核实',
      submittedAt: null,
    });
    const history = await h.as(leader).get(`${reportUrl('U01', '2024-03')}/history`);
    expect(history.body.at(-1)).toMatchObject({
      type: 'ReportSignatureRefused',
      actor: 'r-leader',
      role: 'leader',
    });
  });

  it('needs a reason and the right moment, and records nothing when refused', async () => {
    const before = await eventCount(h);
    const blank = await refuse(leader, { name: '李四', reason: ' ' });
    expect(blank.status).toBe(422);
    expect(['REASON_REQUIRED', 'INVALID_TRANSITION']).toContain(blank.body.code);
    const early = await refuse(leader, { name: '李四', reason: '未签字' });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('INVALID_TRANSITION');
    expect(await eventCount(h)).toBe(before);
  });

  it('is the leader’s alone', async () => {
    const steps = reportSteps(h);
    await steps.sign(filler, 'U01', '2024-03', '张三', '0371-69691788');
    expect((await refuse(filler, { name: '张三', reason: '撤回' })).status).toBe(403);
  });
});
