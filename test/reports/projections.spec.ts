import { applyInline, ProjectionRunner, rebuildProjections } from '../../libs/event-store/src';
import { progressProjection } from '../../libs/application/src/reports/progress.projection';
import { reportsProjection } from '../../libs/application/src/reports/reports.projection';
import { ledgerFixture, meta } from '../support/ledger-fixture';

type Fixture = Awaited<ReturnType<typeof ledgerFixture>>;

const f1 = { training: 600, certified: 500, advanced: 260, onePlusX: 90 };
const f2 = { training: 650, certified: 520, advanced: 270, onePlusX: 95 };
const signed = (revision: number) => ({
  type: 'ReportSignedByFiller',
  data: {
    revision,
    userId: 'f',
    name: '张三',
    phone: '1',
    figuresHash: 'h',
    signedAt: '2024-03-20T02:00:00.000Z',
  },
});
const submitted = (revision: number, signedAt: string) => ({
  type: 'ReportSubmitted',
  data: { revision, userId: 'l', name: '李四', signedAt },
});

describe('report read models on PostgreSQL', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await ledgerFixture(4);
  });
  afterAll(() => fx.close());

  /** Appends like the command executor does: the inline projection in the append's own transaction. */
  const append = async (streamId: string, events: { type: string; data: unknown }[], at: string) => {
    const [{ v }] = await fx.db.query<{ v: number }>(
      'SELECT COALESCE(max(stream_position), 0)::int AS v FROM events WHERE stream_id = $1',
      [streamId],
    );
    await fx.store.append(streamId, events, {
      expectedVersion: v,
      recordedAt: new Date(at),
      metadata: meta(),
      inTransaction: (tx, stored) => applyInline([reportsProjection], tx, stored),
    });
  };
  const row = async (unit: string, period: string) => {
    const [r] = await fx.db.query<Record<string, unknown> & { first_submitted_at: Date; submitted_at: Date }>(
      `SELECT version, revision, status, figures, official_revision, official_figures, accepted_at,
              first_submitted_at, submitted_at, overdue FROM reports WHERE unit_code = $1 AND period = $2`,
      [unit, period],
    );
    return r;
  };
  const progress = () =>
    fx.db.query(
      `SELECT unit_code, period, year, revision, training::int, certified::int, advanced::int,
              one_plus_x::int AS one_plus_x FROM progress_months ORDER BY unit_code, period`,
    );
  const runner = () =>
    new ProjectionRunner(fx.db, [progressProjection], () => new Date('2024-05-01T00:00:00Z'));

  it('follows a report through every status in the append transaction', async () => {
    const stream = 'report-R01-S1-2024-03';
    await append(
      stream,
      [{ type: 'ReportFiguresEntered', data: { revision: 1, figures: f1 } }],
      '2024-03-10T02:00:00Z',
    );
    expect(await row('R01-S1', '2024-03')).toMatchObject({
      version: 1,
      revision: 1,
      status: 'draft',
      figures: f1,
      official_figures: null,
      overdue: false,
    });
    await append(stream, [signed(1), submitted(1, '2024-03-21T02:00:00.000Z')], '2024-03-21T02:00:00Z');
    expect(await row('R01-S1', '2024-03')).toMatchObject({ version: 3, status: 'submitted' });
    expect((await row('R01-S1', '2024-03')).first_submitted_at.toISOString()).toBe(
      '2024-03-21T02:00:00.000Z',
    );

    await append(
      stream,
      [{ type: 'ReportReturned', data: { revision: 1, reason: '不一致' } }],
      '2024-03-22T02:00:00Z',
    );
    expect((await row('R01-S1', '2024-03')).status).toBe('draft');
    await append(stream, [signed(1), submitted(1, '2024-04-02T02:00:00.000Z')], '2024-04-02T02:00:00Z');
    const resubmitted = await row('R01-S1', '2024-03');
    expect(resubmitted.first_submitted_at.toISOString()).toBe('2024-03-21T02:00:00.000Z');
    expect(resubmitted.submitted_at.toISOString()).toBe('2024-04-02T02:00:00.000Z');

    await append(
      stream,
      [
        {
          type: 'ReportAccepted',
          data: { revision: 1, figures: f1, acceptedAt: '2024-04-03T02:00:00.000Z' },
        },
      ],
      '2024-04-03T02:00:00Z',
    );
    expect(await row('R01-S1', '2024-03')).toMatchObject({
      status: 'accepted',
      official_revision: 1,
      official_figures: f1,
    });

    await append(
      stream,
      [{ type: 'ReportAmendmentOpened', data: { revision: 2, figures: f2, reason: '补录' } }],
      '2024-04-10T02:00:00Z',
    );
    expect(await row('R01-S1', '2024-03')).toMatchObject({
      status: 'draft',
      revision: 2,
      figures: f2,
      official_revision: 1,
      official_figures: f1,
    });
    await append(stream, [signed(2), submitted(2, '2024-04-11T02:00:00.000Z')], '2024-04-11T02:00:00Z');
    expect((await row('R01-S1', '2024-03')).first_submitted_at.toISOString()).toBe(
      '2024-03-21T02:00:00.000Z',
    );
  });

  it('builds official months in the worker, never from a draft, and replaces a month with its amendment', async () => {
    await runner().catchUp();
    expect(await progress()).toEqual([
      {
        unit_code: 'R01-S1',
        period: '2024-03',
        year: 2024,
        revision: 1,
        training: 600,
        certified: 500,
        advanced: 260,
        one_plus_x: 90,
      },
    ]);
    await append(
      'report-R01-S1-2024-03',
      [
        {
          type: 'ReportAccepted',
          data: { revision: 2, figures: f2, acceptedAt: '2024-04-12T02:00:00.000Z' },
        },
      ],
      '2024-04-12T02:00:00Z',
    );
    await runner().catchUp();
    expect(await progress()).toEqual([
      expect.objectContaining({ revision: 2, training: 650, one_plus_x: 95 }),
    ]);
    expect(await row('R01-S1', '2024-03')).toMatchObject({ status: 'accepted', official_revision: 2 });
  });

  it('records an overdue mark on a report nobody started, and keeps it when figures come late', async () => {
    await append(
      'report-U01-2024-02',
      [{ type: 'ReportMarkedOverdue', data: { deadline: '2024-02-29T16:00:00.000Z' } }],
      '2024-03-01T00:00:00Z',
    );
    expect(await row('U01', '2024-02')).toMatchObject({
      version: 1,
      revision: 0,
      status: 'not-started',
      figures: null,
      overdue: true,
    });
    await append(
      'report-U01-2024-02',
      [{ type: 'ReportFiguresEntered', data: { revision: 1, figures: f1 } }],
      '2024-03-02T00:00:00Z',
    );
    expect(await row('U01', '2024-02')).toMatchObject({ version: 2, status: 'draft', overdue: true });
  });

  it('rebuilds both read models from the log to exactly the same rows', async () => {
    const snapshot = async () => ({
      reports: await fx.db.query('SELECT * FROM reports ORDER BY unit_code, period'),
      progress: await progress(),
    });
    const before = await snapshot();
    await rebuildProjections(fx.db, [reportsProjection], [progressProjection], () => new Date());
    expect(await snapshot()).toEqual(before);
  });
});
