import { createHash } from 'node:crypto';
import { Figures, Quota } from '../shared/figures';
import { actorOf, deciderSpec } from '../shared/testing';
import { SignAsLeader } from './report.commands';
import { reportDecider } from './report.decider';
import { ReportEvent, ReportSubmitted } from './report.events';
import { figuresHash } from './report.rules';
import { signedFormOf, taskChangedSince } from './report-signed-form';

/** API.md v1.1 "What is signed stays what was signed". */
const { given } = deciderSpec(reportDecider);
const leader = actorOf('leader', 'U01', 'u-leader');
const figures: Figures = { training: 600, certified: 500, advanced: 260, onePlusX: 90 };
const earlier: Figures = { training: 1000, certified: 800, advanced: 300, onePlusX: 100 };
const cumulative: Figures = { training: 1600, certified: 1300, advanced: 560, onePlusX: 190 };
const annual: Quota = { training: 8000, certified: 6500, advanced: null, onePlusX: 1000 };
const drafted: ReportEvent[] = [
  { type: 'ReportFiguresEntered', data: { revision: 1, figures } },
  {
    type: 'ReportSignedByFiller',
    data: {
      revision: 1,
      userId: 'u-filler',
      name: '张三',
      phone: '0371-1',
      figuresHash: figuresHash(figures),
      signedAt: '2024-03-20T02:00:00.000Z',
    },
  },
];
const sign = (form?: SignAsLeader['data']['form']): SignAsLeader => ({
  type: 'SignAsLeader',
  data: form ? { name: '李四', form } : { name: '李四' },
  at: '2024-03-21T10:00:00+08:00',
  actor: leader,
});
const submitted = (): ReportSubmitted => ({
  type: 'ReportSubmitted',
  data: {
    revision: 1,
    userId: 'u-leader',
    name: '李四',
    signedAt: '2024-03-21T02:00:00.000Z',
    signedForm: signedFormOf(figures, { cumulative, annual }),
  },
});

describe('the signed form', () => {
  it('records figures, cumulative, task, rate and their hash when the leader signs', () => {
    given(drafted).when(sign({ cumulative, annual })).then([submitted()]);
    const form = submitted().data.signedForm!;
    expect(form.rate).toEqual({ training: 20, certified: 20, advanced: null, onePlusX: 19 });
    const canonical = JSON.stringify({
      annual: { advanced: null, certified: 6500, onePlusX: 1000, training: 8000 },
      cumulative: { advanced: 560, certified: 1300, onePlusX: 190, training: 1600 },
      figures: { advanced: 260, certified: 500, onePlusX: 90, training: 600 },
      rate: { advanced: null, certified: 20, onePlusX: 19, training: 20 },
    });
    expect(form.hash).toBe(createHash('sha256').update(canonical).digest('hex'));
  });

  it('refuses a form context that is not figures', () => {
    given(drafted)
      .when(sign({ cumulative: { ...cumulative, training: -1 }, annual }))
      .thenThrows('VALIDATION_FAILED');
  });

  it('stays through acceptance, and is void on a return, a refusal or an amendment', () => {
    given([...drafted, submitted()]).thenState((s) => expect(s.signedForm?.annual).toEqual(annual));
    const accepted: ReportEvent = {
      type: 'ReportAccepted',
      data: { revision: 1, figures, acceptedAt: '2024-03-22T02:00:00.000Z' },
    };
    given([...drafted, submitted(), accepted]).thenState((s) => expect(s.signedForm).not.toBeNull());
    given([
      ...drafted,
      submitted(),
      { type: 'ReportReturned', data: { revision: 1, reason: '核实' } },
    ]).thenState((s) => expect(s.signedForm).toBeNull());
    given([
      ...drafted,
      submitted(),
      accepted,
      { type: 'ReportAmendmentOpened', data: { revision: 2, figures, reason: '更正' } },
    ]).thenState((s) => expect(s.signedForm).toBeNull());
  });

  it('names the metrics whose task changed since signing', () => {
    const form = signedFormOf(figures, { cumulative: earlier, annual });
    expect(taskChangedSince(form, annual)).toEqual([]);
    expect(taskChangedSince(form, { ...annual, training: 9000 })).toEqual(['training']);
  });
});
