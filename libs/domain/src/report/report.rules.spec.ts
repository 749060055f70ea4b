import { Figures, Quota } from '../shared/figures';
import { completionRates, cumulativeFigures, owes, reportWarnings, timeliness } from './report.rules';

const deadline = new Date('2024-03-30T16:00:00.000Z');
const before = new Date('2024-03-30T15:59:59.999Z');

describe('timeliness', () => {
  it('is on time when revision 1 was first submitted before the deadline', () => {
    expect(
      timeliness({ firstSubmittedAt: before.toISOString() }, deadline, new Date('2024-05-01T00:00:00Z')),
    ).toBe('on-time');
  });

  it('is late when first submitted at the deadline or after', () => {
    expect(timeliness({ firstSubmittedAt: deadline.toISOString() }, deadline, deadline)).toBe('late');
    expect(timeliness({ firstSubmittedAt: '2024-04-02T01:00:00.000Z' }, deadline, deadline)).toBe('late');
  });

  it('is pending while nothing is submitted and the deadline is ahead', () => {
    expect(timeliness({ firstSubmittedAt: null }, deadline, before)).toBe('pending');
  });

  it('is missing from the deadline on when nothing was submitted', () => {
    expect(timeliness({ firstSubmittedAt: null }, deadline, deadline)).toBe('missing');
  });

  it('is not-owed, never missing or pending, for a month nobody owed', () => {
    expect(timeliness({ firstSubmittedAt: null }, deadline, deadline, false)).toBe('not-owed');
    expect(timeliness({ firstSubmittedAt: null }, deadline, before, false)).toBe('not-owed');
  });

  it('still judges a report filed for a month not owed by its deadline', () => {
    expect(timeliness({ firstSubmittedAt: before.toISOString() }, deadline, deadline, false)).toBe('on-time');
    expect(timeliness({ firstSubmittedAt: deadline.toISOString() }, deadline, deadline, false)).toBe('late');
  });
});

describe('who owes a month', () => {
  it('owes from the first owed month on, and nothing without one', () => {
    expect(owes('2024-06', '2024-05')).toBe(false);
    expect(owes('2024-06', '2024-06')).toBe(true);
    expect(owes('2024-06', '2024-12')).toBe(true);
    expect(owes(null, '2024-12')).toBe(false);
  });
});

describe('cumulative figures and rates', () => {
  const annual: Quota = { training: 7400, certified: 6300, advanced: null, onePlusX: 1140 };

  it('adds the official figures of earlier months to this month', () => {
    const jan: Figures = { training: 100, certified: 50, advanced: 10, onePlusX: 5 };
    const feb: Figures = { training: 200, certified: 60, advanced: 0, onePlusX: 5 };
    expect(cumulativeFigures([jan, feb], { training: 1, certified: 2, advanced: 3, onePlusX: 4 })).toEqual({
      training: 301,
      certified: 112,
      advanced: 13,
      onePlusX: 14,
    });
    expect(cumulativeFigures([], jan)).toEqual(jan);
  });

  it('gives a rate in percent with one decimal, and null where no task is assigned', () => {
    expect(completionRates({ training: 3700, certified: 2100, advanced: 50, onePlusX: 1 }, annual)).toEqual({
      training: 50,
      certified: 33.3,
      advanced: null,
      onePlusX: 0.1,
    });
  });
});

describe('reportWarnings', () => {
  const annual: Quota = { training: 1000, certified: 800, advanced: null, onePlusX: 100 };
  const quiet: Figures = { training: 100, certified: 80, advanced: 20, onePlusX: 10 };
  const codes = (input: Parameters<typeof reportWarnings>[0]) => reportWarnings(input).map((w) => w.code);

  it('has nothing to say about ordinary figures', () => {
    expect(reportWarnings({ figures: quiet, cumulative: quiet, annual })).toEqual([]);
  });

  it('warns when this month has more 1+X certificates than certificates', () => {
    const figures = { ...quiet, onePlusX: 81 };
    expect(reportWarnings({ figures, cumulative: figures, annual: { ...annual, onePlusX: 200 } })).toEqual([
      {
        code: 'ONE_PLUS_X_EXCEEDS_CERTIFIED',
        message: '本月“1+X 证书取证人数”（81）大于“取证人数”（80），请在备注中说明',
      },
    ]);
  });

  it('warns when a month exceeds half of an assigned annual task, naming the metrics', () => {
    const figures = { ...quiet, training: 501, certified: 400, advanced: 400 };
    const [warning] = reportWarnings({ figures, cumulative: quiet, annual });
    expect(warning.code).toBe('MONTH_ABOVE_HALF_ANNUAL');
    expect(warning.message).toBe('本月“培训任务”超过年度任务的一半，请核实');
  });

  it('warns when the cumulative figure exceeds 150 % of an assigned annual task', () => {
    expect(codes({ figures: quiet, cumulative: { ...quiet, onePlusX: 150 }, annual })).toEqual([]);
    expect(codes({ figures: quiet, cumulative: { ...quiet, onePlusX: 151 }, annual })).toEqual([
      'CUMULATIVE_ABOVE_150_PERCENT',
    ]);
  });

  it('never warns against a task that is not assigned', () => {
    const huge = { ...quiet, advanced: 80 };
    expect(codes({ figures: huge, cumulative: { ...huge, advanced: 1_000_000 }, annual })).toEqual([]);
  });

  it("warns when a region's figures differ from the sum of its schools, listing the metrics", () => {
    const schoolsSum = { ...quiet, training: 90 };
    const [warning] = reportWarnings({ figures: quiet, cumulative: quiet, annual, schoolsSum });
    expect(warning).toEqual({
      code: 'REGION_DIFFERS_FROM_SCHOOLS',
      message: '与所属学校已确认数之和不一致：“培训任务”本级填报 100，所属学校合计 90',
    });
    expect(codes({ figures: quiet, cumulative: quiet, annual, schoolsSum: { ...quiet } })).toEqual([]);
    expect(codes({ figures: quiet, cumulative: quiet, annual, schoolsSum: null })).toEqual([]);
  });
});
