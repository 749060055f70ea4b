import { actorOf, deciderSpec } from '../shared/testing';
import { PlanCommand, PublishPlan } from './plan.commands';
import { planDecider } from './plan.decider';
import { PlanEvent, PlanPublished, PlanUnit } from './plan.events';

/** API.md v1.1: who owes which month (reportingFrom) and closing a year. */
const { given } = deciderSpec(planDecider);
const actor = actorOf('province-admin', 'province');
const units: PlanUnit[] = [
  {
    code: 'U01',
    name: '郑州工业应用技术学院',
    kind: 'undergraduate',
    quota: { training: 7400, certified: 6300, advanced: 3200, onePlusX: 1140 },
  },
];
const publishAt = (at: string, reportingFrom?: string): PublishPlan => ({
  type: 'PublishPlan',
  data: { year: 2024, fileHash: 'h', units, ...(reportingFrom ? { reportingFrom } : {}) },
  at,
  actor,
});
const published = (reportingFrom?: string): PlanPublished => ({
  type: 'PlanPublished',
  data: {
    year: 2024,
    fileHash: 'h',
    dueDay: 30,
    reminderDays: 3,
    units,
    ...(reportingFrom ? { reportingFrom } : {}),
  },
});
const command = <T extends PlanCommand['type']>(type: T, data: object): PlanCommand =>
  ({ type, data, at: '2024-07-01T10:00:00+08:00', actor }) as PlanCommand;
const closed: PlanEvent = { type: 'PlanYearClosed', data: { reason: '年度结束' } };

describe('reportingFrom', () => {
  it('defaults to the period of publication, in Shanghai', () => {
    // 2024-05-31T16:30Z is already 1 June in Shanghai.
    given([])
      .when(publishAt('2024-05-31T16:30:00Z'))
      .then([published('2024-06')]);
  });
  it('is January when published before the year, December when after it', () => {
    given([])
      .when(publishAt('2023-12-20T10:00:00+08:00'))
      .then([published('2024-01')]);
    given([])
      .when(publishAt('2025-02-01T10:00:00+08:00'))
      .then([published('2024-12')]);
  });
  it('takes the period the province names', () => {
    given([])
      .when(publishAt('2024-06-15T10:00:00+08:00', '2024-01'))
      .then([published('2024-01')]);
  });
  it('refuses a period of another year or a malformed one', () => {
    for (const bad of ['2023-12', '2024-13', 'June']) {
      given([]).when(publishAt('2024-06-15T10:00:00+08:00', bad)).thenThrows('VALIDATION_FAILED');
    }
  });
  it('reads a plan recorded before reportingFrom existed as owed from January', () => {
    given([published()]).thenState((s) =>
      expect(s.status === 'published' && s.reportingFrom).toBe('2024-01'),
    );
  });
  it('moves with a reason, recording from and to', () => {
    given([published('2024-06')])
      .when(command('MoveReportingStart', { period: '2024-04', reason: '4月已开始报送' }))
      .then([
        { type: 'ReportingStartMoved', data: { from: '2024-06', to: '2024-04', reason: '4月已开始报送' } },
      ]);
  });
  it('refuses a move without a reason, and records nothing for the same period', () => {
    given([published('2024-06')])
      .when(command('MoveReportingStart', { period: '2024-04', reason: '' }))
      .thenThrows('REASON_REQUIRED');
    given([published('2024-06')])
      .when(command('MoveReportingStart', { period: '2024-06', reason: '重复' }))
      .thenNothing();
  });
  it('refuses a move before the plan is published', () => {
    given([])
      .when(command('MoveReportingStart', { period: '2024-04', reason: 'x' }))
      .thenThrows('PLAN_NOT_PUBLISHED');
  });
});

describe('closing a year', () => {
  it('closes with a reason', () => {
    given([published('2024-01')])
      .when(command('CloseYear', { reason: '年度结束' }))
      .then([closed]);
  });
  it('refuses to close without a reason', () => {
    given([published('2024-01')])
      .when(command('CloseYear', { reason: ' ' }))
      .thenThrows('REASON_REQUIRED');
  });
  it('refuses every plan command on a closed year with YEAR_CLOSED', () => {
    const on = given([published('2024-01'), closed]);
    on.when(command('CloseYear', { reason: '再关一次' })).thenThrows('YEAR_CLOSED');
    on.when(command('MoveReportingStart', { period: '2024-02', reason: 'x' })).thenThrows('YEAR_CLOSED');
    on.when(command('AdjustQuota', { unitCode: 'U01', quota: { training: 1 }, reason: 'x' })).thenThrows(
      'YEAR_CLOSED',
    );
    on.when(publishAt('2024-07-01T10:00:00+08:00')).thenThrows('YEAR_CLOSED');
  });
  it('reopens a closed year with a reason, and then takes commands again', () => {
    given([published('2024-01'), closed])
      .when(command('ReopenYear', { reason: '更正数据' }))
      .then([{ type: 'PlanYearReopened', data: { reason: '更正数据' } }]);
    given([published('2024-01'), closed, { type: 'PlanYearReopened', data: { reason: '更正数据' } }])
      .when(command('MoveReportingStart', { period: '2024-02', reason: 'x' }))
      .then([{ type: 'ReportingStartMoved', data: { from: '2024-01', to: '2024-02', reason: 'x' } }]);
  });
  it('refuses to reopen a year that is open, or without a reason', () => {
    given([published('2024-01')])
      .when(command('ReopenYear', { reason: 'x' }))
      .thenThrows('INVALID_TRANSITION');
    given([published('2024-01'), closed])
      .when(command('ReopenYear', { reason: '' }))
      .thenThrows('REASON_REQUIRED');
  });
});
