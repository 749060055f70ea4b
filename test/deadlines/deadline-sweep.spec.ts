import { deadlineOf, fold, reportDecider, reportStreamId, timeliness } from '../../libs/domain/src';
import { Logger } from '@nestjs/common';
import { ManualClock } from '../../libs/platform/src/clock';
import { ledgerFixture } from '../support/ledger-fixture';
import { seeder } from './seed';
import { sweepProcess } from './sweep-fixture';

type Fixture = Awaited<ReturnType<typeof ledgerFixture>>;
type Process = Awaited<ReturnType<typeof sweepProcess>>;

describe('the deadline sweep', () => {
  let ledger: Fixture;
  let clock: ManualClock;
  let a: Process;
  let b: Process;
  let seed: ReturnType<typeof seeder>;

  const overdueEvents = (streamId?: string) =>
    ledger.owner.query<{ stream_id: string; data: any; metadata: any }>(
      `SELECT stream_id, data, metadata FROM events WHERE type = 'ReportMarkedOverdue'
         AND ($1::text IS NULL OR stream_id = $1) ORDER BY position`,
      [streamId ?? null],
    );

  beforeAll(async () => {
    Logger.overrideLogger(false);
    ledger = await ledgerFixture(4);
    clock = new ManualClock(new Date('2024-01-02T02:00:00Z'));
    a = await sweepProcess(ledger.url, clock);
    b = await sweepProcess(ledger.url, clock);
    seed = seeder(a.executor, clock);
    await seed.publishPlan(2024);
    await seed.registerSchool('R01-S01', 'R01');
    await seed.registerSchool('R01-S02', 'R01');
    await seed.publishSplit('R01', ['R01-S01', 'R01-S02']);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await ledger.close();
  });

  it('records nothing before the first deadline and one overdue event per missing report at it', async () => {
    await seed.submit('U01', '2024-01', '2024-01-20T03:00:00Z');
    const deadline = deadlineOf('2024-01');
    expect(deadline.toISOString()).toBe('2024-01-30T16:00:00.000Z');

    clock.set(new Date(deadline.getTime() - 1));
    const early = await a.sweep.run();
    expect(early).toMatchObject({ due: 0, overdueRecorded: 0 });

    clock.set(deadline);
    const due = await a.sweep.run();
    expect(due).toMatchObject({ due: 5, onTime: 1, late: 0, missing: 4, overdueRecorded: 4, failed: 0 });
    expect(due.recorded.map((r) => r.unitCode)).toEqual(['H01', 'R01', 'R01-S01', 'R01-S02']);
    const events = await overdueEvents();
    expect(events).toHaveLength(4);
    expect(events[0].data).toEqual({ deadline: '2024-01-30T16:00:00.000Z' });
    expect(events[0].metadata.actor).toMatchObject({ userId: 'system', role: 'system' });
  });

  it('follows the plan calendar: February is due before its last day ends', async () => {
    clock.set('2024-02-29T15:59:59.999Z');
    expect((await a.sweep.run()).overdueRecorded).toBe(0);
    clock.set('2024-02-29T16:00:00Z');
    const summary = await a.sweep.run();
    expect(summary.overdueRecorded).toBe(5);
    expect(new Set(summary.recorded.map((r) => r.period))).toEqual(new Set(['2024-02']));
  });

  it('records each overdue report exactly once across 5 sweeps by 2 workers at once', async () => {
    clock.set('2024-03-30T16:00:05Z'); // March is now due for all five units
    const before = (await overdueEvents()).length;
    const summaries = await Promise.all([
      ...Array.from({ length: 5 }, () => a.sweep.run()),
      ...Array.from({ length: 5 }, () => b.sweep.run()),
    ]);
    expect(summaries.reduce((n, s) => n + s.overdueRecorded, 0)).toBe(5);
    expect(summaries.every((s) => s.failed === 0)).toBe(true);
    for (let i = 0; i < 5; i++) expect((await a.sweep.run()).overdueRecorded).toBe(0);

    const rows = await ledger.owner.query(
      `SELECT stream_id, count(*)::int AS n FROM events WHERE type = 'ReportMarkedOverdue'
        GROUP BY stream_id HAVING count(*) > 1`,
    );
    expect(rows).toEqual([]);
    const march = (await overdueEvents()).filter((e) => e.stream_id.endsWith('2024-03'));
    expect(march).toHaveLength(5);
    expect((await overdueEvents()).length).toBe(before + 5);
  });

  it('turns a missing report into a late one when it is filed after the deadline', async () => {
    await seed.submit('R01-S01', '2024-03', '2024-04-02T01:00:00Z');
    clock.set('2024-04-02T02:00:00Z');
    const summary = await a.sweep.run();
    expect(summary.overdueRecorded).toBe(0);
    const march = await b.executor.load(reportStreamId('R01-S01', '2024-03'), reportDecider);
    expect(march.state).toMatchObject({ status: 'submitted', overdue: true });
    expect(timeliness(march.state, deadlineOf('2024-03'), clock.now())).toBe('late');
    // 2024: Jan (5 due, U01 on time), Feb (5), Mar (5, one now late); 2025 not due in April 2024.
    expect(summary).toMatchObject({ due: 15, onTime: 1, late: 1, missing: 13 });
    expect(await overdueEvents(reportStreamId('R01-S01', '2024-03'))).toHaveLength(1);
  });

  it('does not mark a report submitted on time, however late the sweep runs', async () => {
    await seed.submit('H01', '2024-04', '2024-04-29T10:00:00Z');
    clock.set('2024-06-01T00:00:00Z');
    const summary = await a.sweep.run();
    expect(summary.recorded.filter((r) => r.period === '2024-04').map((r) => r.unitCode)).toEqual([
      'R01',
      'R01-S01',
      'R01-S02',
      'U01',
    ]);
    const april = fold(reportDecider, (await a.store.readStream(reportStreamId('H01', '2024-04'))) as any);
    expect(april.overdue).toBe(false);
  });

  it('signs a ledger checkpoint after a sweep that recorded overdue reports', async () => {
    const rows = await ledger.owner.query(`SELECT reason FROM audit_checkpoints WHERE reason = 'deadline'`);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('follows a plan with its own due day', async () => {
    await seed.publishPlan(2025, { dueDay: 10, at: '2024-12-20T02:00:00Z' });
    await seed.publishSplit('R01', ['R01-S01', 'R01-S02'], '2024-12-20T03:00:00Z', 2025);
    clock.set('2025-01-10T15:59:00Z');
    expect((await a.sweep.run()).recorded.filter((r) => r.period.startsWith('2025'))).toEqual([]);
    clock.set('2025-01-10T16:00:00Z');
    const recorded = (await a.sweep.run()).recorded.filter((r) => r.period.startsWith('2025'));
    expect(recorded.map((r) => [r.unitCode, r.deadline])).toEqual(
      ['H01', 'R01', 'R01-S01', 'R01-S02', 'U01'].map((u) => [u, '2025-01-10T16:00:00.000Z']),
    );
  });
});
