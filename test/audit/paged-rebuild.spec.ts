import {
  type Actor,
  type Decider,
  type DomainEvent,
  type Figures,
  planDecider,
  planStreamId,
  reportDecider,
  reportStreamId,
  unitDecider,
  unitStreamId,
  userDecider,
  userStreamId,
} from '../../libs/domain/src';
import { applyInline, ProjectionRunner, rebuildProjections } from '../../libs/event-store/src';
import { ASYNC_PROJECTIONS, INLINE_PROJECTIONS } from '../../libs/application/src/read-models/registry';
import {
  readModelDigests,
  type ReadModelDigests,
} from '../../libs/application/src/read-models/read-model-digest';
import { loadPlanUnits } from '../../bench/ledger-data';
import { ledgerFixture, meta } from '../support/ledger-fixture';

type Fixture = Awaited<ReturnType<typeof ledgerFixture>>;
interface Step {
  streamId: string;
  decider: Decider<any, any, DomainEvent>;
  command: { type: string; data: unknown };
  actor: Actor;
}

const admin: Actor = { userId: 'admin', username: 'admin', role: 'province-admin', unitCode: 'province' };
const person = (username: string, role: Actor['role'], unitCode: string): Actor => ({
  userId: username,
  username,
  role,
  unitCode,
});
const figures = (n: number): Figures => ({
  training: 100 + n,
  certified: 50 + n,
  advanced: 10 + (n % 7),
  onePlusX: n % 11,
});
const DEADLINE = '2024-03-31T16:00:00.000Z';
const SCAN = { sha256: 'ab'.repeat(32), contentType: 'application/pdf', bytes: 2048 };

/**
 * One report's life, as commands. The scripts cover what changes a row in odd ways: an overdue mark on a
 * report nobody started and after a late first submission, edits, a refused signature, a return, a scan,
 * and amendments (accepted, and returned before acceptance), so a later page must keep the earlier
 * first submission and official figures.
 */
function script(unit: string, n: number): { type: string; data: unknown; by: 'f' | 'l' | 'r' }[] {
  const enter = (k: number) => ({
    type: 'EnterFigures',
    data: { figures: figures(n + k), periodStart: '2024-01-01T00:00:00.000Z', periodInPlan: true },
    by: 'f' as const,
  });
  const sign = { type: 'SignAsFiller', data: { name: `填报人${unit}`, phone: '0371-1' }, by: 'f' as const };
  const submit = { type: 'SignAsLeader', data: { name: `组长${unit}` }, by: 'l' as const };
  const accept = { type: 'ReviewReport', data: { decision: 'accept' }, by: 'r' as const };
  const giveBack = {
    type: 'ReviewReport',
    data: { decision: 'return', reason: '数据有误' },
    by: 'r' as const,
  };
  const refuse = {
    type: 'RefuseSignature',
    data: { name: `组长${unit}`, reason: '数据不对' },
    by: 'l' as const,
  };
  const amend = (k: number) => ({
    type: 'AmendReport',
    data: { figures: figures(n + k), reason: '补录' },
    by: 'r' as const,
  });
  const overdue = { type: 'MarkOverdue', data: { deadline: DEADLINE }, by: 'r' as const };
  const scan = { type: 'AttachScan', data: SCAN, by: 'f' as const };
  const scripts = [
    [enter(0), sign, submit, accept],
    [overdue, enter(0), enter(1), sign, submit, giveBack, enter(2), sign, submit, accept],
    [enter(0), sign, refuse, sign, submit, scan, accept, amend(5), sign, submit, accept],
    [enter(0), enter(3), sign, submit, overdue, accept, amend(4), sign, submit, giveBack, sign, submit],
    [overdue],
    [enter(0), sign, submit, giveBack, sign, submit, accept, amend(6), sign, submit, scan, accept, amend(7)],
    [enter(0), sign, submit],
  ];
  return scripts[n % scripts.length];
}

/** Appends what the deciders decide, with the inline projections in the append transaction. */
class Writer {
  private readonly streams = new Map<string, { state: unknown; version: number }>();
  private minute = 0;

  constructor(private readonly f: Fixture) {}

  async step(s: Step): Promise<void> {
    const current = this.streams.get(s.streamId) ?? { state: s.decider.initialState(), version: 0 };
    // After the deadline and every period's start, one minute further for each step.
    const at = new Date(Date.parse('2024-04-01T00:00:00.000Z') + ++this.minute * 60_000);
    const decided = s.decider.decide({ ...s.command, at: at.toISOString(), actor: s.actor }, current.state);
    if (decided.length === 0) return;
    const { version } = await this.f.store.append(s.streamId, decided, {
      expectedVersion: current.version,
      recordedAt: at,
      metadata: meta(),
      inTransaction: (tx, events) => applyInline(INLINE_PROJECTIONS, tx, events),
    });
    this.streams.set(s.streamId, { state: decided.reduce(s.decider.evolve, current.state), version });
  }

  /** Streams advance side by side, one step each per round and concurrently, as a month-end does. */
  async interleave(lives: Step[][]): Promise<void> {
    for (let round = 0; lives.some((l) => l.length > round); round++) {
      await Promise.all(lives.filter((l) => l.length > round).map((l) => this.step(l[round])));
    }
  }
}

describe('a set-based rebuild, page by page', () => {
  let f: Fixture;
  /** The read models as the appends and the worker built them, event by event: what every rebuild must give. */
  let live: ReadModelDigests;
  const catchUp = () => new ProjectionRunner(f.db, ASYNC_PROJECTIONS, () => new Date(), 13).catchUp();

  beforeAll(async () => {
    f = await ledgerFixture();
    const w = new Writer(f);
    const { units } = await loadPlanUnits();
    await w.step({
      streamId: planStreamId(2024),
      decider: planDecider,
      command: { type: 'PublishPlan', data: { year: 2024, fileHash: 'f'.repeat(64), units } },
      actor: admin,
    });
    const region = units.find((u) => u.kind === 'region')!.code;
    const operator = person('op', 'region-operator', region);
    const schools = [1, 2, 3].map((i) => `${region}-S${i}`);
    for (const code of schools) {
      await w.step({
        streamId: unitStreamId(code),
        decider: unitDecider,
        command: { type: 'RegisterSchool', data: { code, name: `学校${code}`, parentCode: region } },
        actor: operator,
      });
    }
    const codes = [...units.slice(0, 9).map((u) => u.code), ...schools];
    const reviewer = (code: string) => (schools.includes(code) ? operator : admin);
    await w.interleave(
      codes.map((code) =>
        (['filler', 'leader'] as const).map((role) => ({
          streamId: userStreamId(`${role}-${code}`),
          decider: userDecider,
          command: {
            type: 'CreateUser',
            data: { username: `${role}-${code}`, displayName: `${role} ${code}`, role, unitCode: code },
          },
          actor: reviewer(code),
        })),
      ),
    );
    const lives = codes.flatMap((code, i) =>
      ['2024-01', '2024-02', '2024-03'].map((period, p) =>
        script(code, i * 3 + p).map(({ by, ...command }) => ({
          streamId: reportStreamId(code, period),
          decider: reportDecider,
          command,
          actor: {
            f: person(`filler-${code}`, 'filler', code),
            l: person(`leader-${code}`, 'leader', code),
            r: reviewer(code),
          }[by],
        })),
      ),
    );
    await w.interleave(lives);
    await catchUp();
    live = await readModelDigests(f.db);
  }, 120_000);
  afterAll(() => f.close());

  it('replays a ledger with every kind of report event, streams spread over many pages', async () => {
    const types = await f.db.query<{ type: string }>('SELECT DISTINCT type FROM events ORDER BY type');
    expect(types.map((t) => t.type)).toEqual(
      expect.arrayContaining([
        'ReportAccepted',
        'ReportAmendmentOpened',
        'ReportMarkedOverdue',
        'ReportReturned',
        'ReportScanAttached',
        'ReportSignatureRefused',
        'ReportSubmitted',
        'SchoolRegistered',
        'UserCreated',
      ]),
    );
    const [crossing] = await f.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT stream_id FROM events WHERE stream_id LIKE 'report-%'
         GROUP BY stream_id HAVING count(DISTINCT (position - 1) / 7) > 1) s`,
    );
    expect(crossing.n).toBeGreaterThan(20);
    expect(live.reports.rows).toBe(36);
    expect(live.progress_months.rows).toBeGreaterThan(20);
  });

  it.each([1, 7, 50, 5000])(
    'rebuilds every read table to the same digest, %i events a page',
    async (size) => {
      const { events } = await rebuildProjections(
        f.db,
        INLINE_PROJECTIONS,
        ASYNC_PROJECTIONS,
        () => new Date(),
        size,
      );
      const [{ n }] = await f.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
      expect(events).toBe(n);
      expect(await readModelDigests(f.db)).toEqual(live);
    },
  );

  it('rebuilds the same rows when the read models were damaged first', async () => {
    await f.owner.query(
      `UPDATE reports SET first_submitted_at = NULL, official_figures = NULL, overdue = false`,
    );
    await f.owner.query(`DELETE FROM progress_months WHERE period = '2024-02'`);
    expect(await readModelDigests(f.db)).not.toEqual(live);
    await rebuildProjections(f.db, INLINE_PROJECTIONS, ASYNC_PROJECTIONS, () => new Date(), 7);
    expect(await readModelDigests(f.db)).toEqual(live);
  });
});

/** Orders no decider produces but the log could hold: a revision accepted again, an older one accepted late. */
describe('a set-based rebuild of official months', () => {
  let f: Fixture;
  afterAll(() => f.close());

  it('keeps the last acceptance of the highest revision, across pages, as event by event', async () => {
    f = await ledgerFixture(4);
    const accepted = (revision: number, n: number) => ({
      type: 'ReportAccepted',
      data: { revision, figures: figures(n), acceptedAt: `2024-04-0${n}T00:00:00.000Z` },
    });
    const lives: Record<string, [number, number][]> = {
      'report-U01-2024-01': [
        [1, 1],
        [2, 2],
        [2, 3],
        [1, 4],
      ],
      'report-U02-2024-01': [
        [2, 1],
        [1, 2],
        [3, 3],
        [3, 4],
        [2, 5],
      ],
      'report-U03-2024-01': [
        [1, 1],
        [1, 2],
      ],
    };
    for (let i = 0; i < 5; i++) {
      for (const [streamId, life] of Object.entries(lives)) {
        if (!life[i]) continue;
        await f.store.append(streamId, [accepted(...life[i])], {
          expectedVersion: i,
          metadata: meta(),
          recordedAt: new Date('2024-04-10T00:00:00.000Z'),
        });
      }
    }
    await new ProjectionRunner(f.db, ASYNC_PROJECTIONS, () => new Date(), 2).catchUp();
    const rows = () => f.db.query('SELECT * FROM progress_months ORDER BY unit_code');
    const live = await rows();
    expect(live.map((r) => [r.unit_code, r.revision, Number(r.training)])).toEqual([
      ['U01', 2, 103],
      ['U02', 3, 104],
      ['U03', 1, 102],
    ]);
    for (const size of [1, 2, 4, 5000]) {
      await rebuildProjections(f.db, [], ASYNC_PROJECTIONS, () => new Date(), size);
      expect([size, await rows()]).toEqual([size, live]);
    }
  });
});
