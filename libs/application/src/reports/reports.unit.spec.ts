import { fold, type ReportEvent } from '@app/domain';
import { reportFoldDecider, withStoredTimes } from './report-fold';
import { reportView } from './report-view';
import type { ReportScope } from './report-scope';
import { earlierStreamIds, parseReportStreamId } from './report-stream';
import { mayReview, reviewerOf } from './reviewer';

const f1 = { training: 600, certified: 500, advanced: 260, onePlusX: 90 };
const f2 = { training: 650, certified: 520, advanced: 270, onePlusX: 95 };
const submitted: ReportEvent[] = [
  { type: 'ReportFiguresEntered', data: { revision: 1, figures: f1 } },
  {
    type: 'ReportSignedByFiller',
    data: {
      revision: 1,
      userId: 'f',
      name: '张三',
      phone: '1',
      figuresHash: 'h',
      signedAt: '2024-03-20T02:00:00.000Z',
    },
  },
  {
    type: 'ReportSubmitted',
    data: { revision: 1, userId: 'l', name: '李四', signedAt: '2024-03-21T02:00:00.000Z' },
  },
];
const returned: ReportEvent = { type: 'ReportReturned', data: { revision: 1, reason: '不一致' } };
const stored = (e: ReportEvent, recordedAt: string) => ({ ...e, recordedAt });

describe('report streams', () => {
  it('reads the unit and month from the end of the stream id, hyphens and all', () => {
    expect(parseReportStreamId('report-R01-S1-2024-03')).toEqual({
      unitCode: 'R01-S1',
      period: '2024-03',
      year: 2024,
    });
    expect(parseReportStreamId('report-U01-2024-12')).toEqual({
      unitCode: 'U01',
      period: '2024-12',
      year: 2024,
    });
    expect(parseReportStreamId('plan-2024')).toBeNull();
  });

  it('names the streams of the earlier months of the same year only', () => {
    expect(earlierStreamIds('U01', '2024-03')).toEqual(['report-U01-2024-01', 'report-U01-2024-02']);
    expect(earlierStreamIds('U01', '2024-01')).toEqual([]);
  });
});

describe('reviewers', () => {
  it("sends a city school to its region's operator and everyone else to the province", () => {
    expect(reviewerOf({ kind: 'city-secondary', parentCode: 'R01' })).toEqual({
      role: 'region-operator',
      unitCode: 'R01',
    });
    expect(reviewerOf({ kind: 'region', parentCode: null })).toEqual({
      role: 'province-admin',
      unitCode: 'province',
    });
    expect(reviewerOf({ kind: 'undergraduate', parentCode: null }).role).toBe('province-admin');
  });

  it('lets no province admin review a city school, and no other region', () => {
    const school = { kind: 'city-secondary', parentCode: 'R01' };
    expect(mayReview({ role: 'region-operator', unitCode: 'R01' }, school)).toBe(true);
    expect(mayReview({ role: 'region-operator', unitCode: 'R02' }, school)).toBe(false);
    expect(mayReview({ role: 'province-admin', unitCode: 'province' }, school)).toBe(false);
    expect(
      mayReview({ role: 'region-operator', unitCode: 'R01' }, { kind: 'region', parentCode: null }),
    ).toBe(false);
    expect(mayReview({ role: 'auditor', unitCode: 'province' }, { kind: 'region', parentCode: null })).toBe(
      false,
    );
  });
});

describe('the report fold', () => {
  it('keeps the return the draft answers, with its time, until the report is submitted again', () => {
    const afterReturn = fold(reportFoldDecider, [
      ...submitted,
      stored(returned, '2024-03-22T02:00:00.000Z'),
    ] as ReportEvent[]);
    expect(afterReturn).toMatchObject({ returnReason: '不一致', returnedAt: '2024-03-22T02:00:00.000Z' });
    expect(afterReturn.report.status).toBe('draft');
    const resubmitted = fold(reportFoldDecider, [...submitted, returned, ...submitted.slice(1)]);
    expect(resubmitted.returnReason).toBeNull();
  });

  it('shows no stale return on an amendment, though the decider keeps the old reason', () => {
    const amended = fold(reportFoldDecider, [
      ...submitted,
      returned,
      ...submitted.slice(1),
      { type: 'ReportAccepted', data: { revision: 1, figures: f1, acceptedAt: '2024-03-25T02:00:00.000Z' } },
      { type: 'ReportAmendmentOpened', data: { revision: 2, figures: f2, reason: '补录' } },
    ]);
    expect(amended.report.returnReason).toBe('不一致');
    expect(amended.returnReason).toBeNull();
  });

  it('decides exactly what the report decider decides', () => {
    const state = fold(reportFoldDecider, submitted);
    const command = {
      type: 'ReviewReport' as const,
      data: { decision: 'return' as const, reason: '不一致' },
      at: '2024-03-22T02:00:00Z',
      actor: { userId: 'a', username: 'a', role: 'province-admin' as const, unitCode: 'province' },
    };
    const events = reportFoldDecider.decide(command, state);
    expect(events).toEqual([returned]);
    const next = withStoredTimes(reportFoldDecider.evolve(state, events[0]), [
      { type: 'ReportReturned', recordedAt: '2024-03-22T02:00:00.000Z' },
    ]);
    expect(next.returnedAt).toBe('2024-03-22T02:00:00.000Z');
  });
});

describe('the report view', () => {
  const scope: ReportScope = {
    unit: {
      code: 'R01',
      name: '郑州市',
      kind: 'region',
      parentCode: null,
      annual: { training: 1000, certified: 800, advanced: null, onePlusX: 100 },
      owedFrom: '2024-01',
    },
    period: '2024-03',
    year: 2024,
    plan: { year: 2024, dueDay: 30, reminderDays: 3, closed: false },
    periodStart: new Date('2024-02-29T16:00:00.000Z'),
    deadline: new Date('2024-03-30T16:00:00.000Z'),
    reviewer: { role: 'province-admin', unitCode: 'province' },
  };
  const view = (
    events: ReportEvent[],
    judgedAt = '2024-03-15T00:00:00Z',
    platformTraining: number | null = null,
  ) =>
    reportView({
      platformTraining,
      scope,
      state: fold(reportFoldDecider, events),
      version: events.length,
      earlierOfficial: [{ training: 100, certified: 80, advanced: 0, onePlusX: 10 }],
      schoolsSum: { training: 600, certified: 500, advanced: 260, onePlusX: 90 },
      judgedAt: new Date(judgedAt),
    });

  it('shows a report nobody started: earlier official figures, rates with null for no task, pending', () => {
    const v = view([]);
    expect(v).toMatchObject({
      status: 'not-started',
      version: 0,
      figures: null,
      official: null,
      cumulative: { training: 100, certified: 80, advanced: 0, onePlusX: 10 },
      rate: { training: 10, certified: 10, advanced: null, onePlusX: 10 },
      timeliness: 'pending',
      warnings: [],
    });
    expect(view([], '2024-03-30T16:00:00.000Z').timeliness).toBe('missing');
  });

  it("compares a region's figures with its schools' sum", () => {
    const v = view(submitted.slice(0, 1));
    expect(v.schoolsSum).toEqual({ training: 600, certified: 500, advanced: 260, onePlusX: 90 });
    expect(v.warnings.map((w) => w.code)).toEqual(['MONTH_ABOVE_HALF_ANNUAL']);
    const differing = reportView({
      ...{
        scope,
        version: 1,
        earlierOfficial: [],
        judgedAt: new Date('2024-03-15T00:00:00Z'),
        platformTraining: null,
      },
      state: fold(reportFoldDecider, submitted.slice(0, 1)),
      schoolsSum: { training: 1, certified: 1, advanced: 1, onePlusX: 1 },
    });
    expect(differing.warnings.map((w) => w.code)).toContain('REGION_DIFFERS_FROM_SCHOOLS');
  });

  it('shows the platform figure and the difference from the figures being signed, null without either', () => {
    expect(view([]).reconciliation).toEqual({ platform: null, difference: null });
    expect(view(submitted.slice(0, 1), undefined, 500).reconciliation).toEqual({
      platform: 500,
      difference: (submitted[0].data as { figures: { training: number } }).figures.training - 500,
    });
    expect(view(submitted.slice(0, 1)).reconciliation).toEqual({ platform: null, difference: null });
  });

  it('never shows user ids, only names, phone and times of the signatures', () => {
    const v = view(submitted);
    expect(v.signatures).toEqual({
      filler: { name: '张三', phone: '1', signedAt: '2024-03-20T02:00:00.000Z', figuresHash: 'h' },
      leader: { name: '李四', signedAt: '2024-03-21T02:00:00.000Z' },
    });
    expect(v).toMatchObject({
      status: 'submitted',
      timeliness: 'on-time',
      submittedAt: '2024-03-21T02:00:00.000Z',
    });
  });
});
