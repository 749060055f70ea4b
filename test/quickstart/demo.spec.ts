import type { AddressInfo } from 'node:net';
import { ProjectionRunner } from '../../libs/event-store/src';
import { ASYNC_PROJECTIONS } from '../../libs/application/src/read-models/registry';
import { ApiClient } from '../../apps/quickstart/src/api-client';
import { runDemo } from '../../apps/quickstart/src/demo';
import {
  AMENDMENT_REASON,
  DEMO_MONTHS,
  DEMO_NOW,
  DEMO_SCHOOLS,
  demoFilings,
  demoUnits,
  type Figures,
  officialFigures,
  type PlanUnit,
  platformTraining,
  RETURN_REASON,
} from '../../apps/quickstart/src/demo-plan';
import { ADMIN, startApp, type Harness } from '../support/app';

/** The rows of a list answer, as far as these checks read them. */
type Rows<T> = { units: T[] };
type Timely = { code: string; timeliness: string };
type Progress = { code: string; cumulative: unknown; month: { training: number } | null };
import { PLAN_2024_CSV } from '../support/plan';

jest.setTimeout(900_000);

// Few units keep it quick: the demo's patterns (late, missing, waiting) all show among these eight.
const ONLY = ['R01', 'R18', 'U01', 'U02', 'P01', 'R01-S1', 'R01-S2', 'R18-S1'];
const add = (a: Figures, b: Figures): Figures => ({
  training: a.training + b.training,
  certified: a.certified + b.certified,
  advanced: a.advanced + b.advanced,
  onePlusX: a.onePlusX + b.onePlusX,
});
const ZERO: Figures = { training: 0, certified: 0, advanced: 0, onePlusX: 0 };

/** The demo year through the real API on the real database, held against progress and timeliness. */
describe('the demo year', () => {
  let h: Harness;
  let admin: ApiClient;
  let plan: PlanUnit[];
  let units: string[];
  let accounts: Awaited<ReturnType<typeof runDemo>>;

  beforeAll(async () => {
    h = await startApp({ now: '2023-12-01T02:00:00.000Z' });
    await h.app.listen(0, '127.0.0.1');
    const client = new ApiClient(`http://127.0.0.1:${(h.app.getHttpServer().address() as AddressInfo).port}`);
    accounts = await runDemo({
      client,
      admin: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password },
      planCsv: PLAN_2024_CSV,
      setClock: async (now) => h.clock.set(now),
      say: () => undefined,
      only: ONLY,
    });
    h.clock.set(DEMO_NOW);
    // The worker's share: the async read models (official figures) catch up.
    await new ProjectionRunner(h.db, ASYNC_PROJECTIONS, () => h.clock.now()).catchUp();
    admin = await client.login(ADMIN.username, ADMIN.password);
    plan = (await admin.get<Rows<PlanUnit>>('/api/v1/plans/2024')).body.units;
    units = demoUnits(plan).filter((u) => ONLY.includes(u));
  });

  afterAll(async () => {
    await h?.close();
  });

  it('has, every month, units on time, late and missing, and March waits partly for review', () => {
    const filings = demoFilings(plan, units);
    for (const period of DEMO_MONTHS) {
      const month = filings.filter((f) => f.period === period);
      expect(new Set(month.map((f) => f.timeliness))).toEqual(new Set(['on-time', 'late', 'missing']));
    }
    expect(
      filings.filter((f) => f.period === '2024-03' && f.timeliness !== 'missing' && !f.accepted).length,
    ).toBeGreaterThan(0);
    expect(filings.filter((f) => f.returned)).toHaveLength(1);
    expect(filings.filter((f) => f.amended)).toHaveLength(1);
  });

  it('shows every filing as the timeliness the demo meant', async () => {
    const filings = demoFilings(plan, units);
    for (const period of DEMO_MONTHS) {
      const province = (await admin.get<Rows<Timely>>(`/api/v1/plans/2024/timeliness?period=${period}`)).body
        .units;
      const schools = [
        ...(await admin.get<Rows<Timely>>(`/api/v1/plans/2024/timeliness?period=${period}&region=R01`)).body
          .units,
        ...(await admin.get<Rows<Timely>>(`/api/v1/plans/2024/timeliness?period=${period}&region=R18`)).body
          .units,
      ];
      const actual = new Map([...province, ...schools].map((u) => [u.code, u.timeliness]));
      for (const f of filings.filter((x) => x.period === period)) {
        expect(`${f.unit} ${period} ${actual.get(f.unit)}`).toBe(`${f.unit} ${period} ${f.timeliness}`);
      }
    }
  });

  it('shows the official figures of every unit, month and cumulative, as progress', async () => {
    const filings = demoFilings(plan, units);
    for (const [m, period] of DEMO_MONTHS.entries()) {
      const rows = [
        ...(await admin.get<Rows<Progress>>(`/api/v1/plans/2024/progress?period=${period}`)).body.units,
        ...(await admin.get<Rows<Progress>>(`/api/v1/plans/2024/progress?period=${period}&region=R01`)).body
          .units,
        ...(await admin.get<Rows<Progress>>(`/api/v1/plans/2024/progress?period=${period}&region=R18`)).body
          .units,
      ];
      for (const unit of units) {
        const row = rows.find((r) => r.code === unit)!;
        const official = (p: string) =>
          officialFigures(filings.find((f) => f.unit === unit && f.period === p)!);
        const cumulative = DEMO_MONTHS.slice(0, m + 1).reduce(
          (sum, p) => add(sum, official(p) ?? ZERO),
          ZERO,
        );
        expect({ unit, period, cumulative: row.cumulative }).toEqual({ unit, period, cumulative });
        expect({ unit, period, month: row.month?.training ?? 0 }).toEqual({
          unit,
          period,
          month: official(period)?.training ?? 0,
        });
      }
    }
  });

  it('files the return with its reason and the amendment, and the platform differs where meant', async () => {
    const filings = demoFilings(plan, units);
    const returned = filings.find((f) => f.returned)!;
    const history = (await admin.get(`/api/v1/units/${returned.unit}/reports/${returned.period}/history`))
      .body;
    expect(JSON.stringify(history)).toContain(RETURN_REASON);
    const amended = filings.find((f) => f.amended)!;
    const report = (await admin.get(`/api/v1/units/${amended.unit}/reports/${amended.period}`)).body;
    expect(report).toMatchObject({
      revision: 2,
      status: 'accepted',
      amendmentReason: AMENDMENT_REASON,
      official: { revision: 2, figures: amended.amended!.figures },
    });

    const reconciliation = (
      await admin.get<Rows<{ code: string; difference: number | null }>>(
        '/api/v1/plans/2024/reconciliation?period=2024-01',
      )
    ).body.units;
    for (const f of filings.filter(
      (x) => x.period === '2024-01' && !DEMO_SCHOOLS.some((s) => s.code === x.unit),
    )) {
      const row = reconciliation.find((r) => r.code === f.unit)!;
      const platform = platformTraining(f, units.indexOf(f.unit));
      const official = officialFigures(f);
      expect({ unit: f.unit, difference: row.difference }).toEqual({
        unit: f.unit,
        difference: official && platform !== null ? official.training - platform : null,
      });
    }
  });

  it('gives one account per role, each able to log in', async () => {
    expect(accounts.map((a) => a.role.split(' ')[0])).toEqual([
      'auditor',
      'region-operator',
      'filler',
      'leader',
    ]);
    for (const a of accounts) await admin.login(a.username, a.password);
  });
});
