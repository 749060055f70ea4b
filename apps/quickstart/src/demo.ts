import { randomBytes } from 'node:crypto';
import type { ApiClient } from './api-client';
import {
  DEMO_MONTHS,
  DEMO_SCHOOLS,
  DEMO_SETUP_AT,
  DEMO_YEAR,
  type DemoFiling,
  demoFilings,
  demoUnits,
  type Figures,
  lateAt,
  onTimeAt,
  type PlanUnit,
  platformTraining,
  schoolShares,
} from './demo-plan';

export { DEMO_NOW } from './demo-plan';

export interface DemoAccount {
  role: string;
  username: string;
  password: string;
}

export interface DemoContext {
  client: ApiClient;
  admin: { ADMIN_USERNAME: string; ADMIN_PASSWORD: string };
  planCsv: Buffer;
  /** Moves the api's clock (the quickstart restarts it with FAKE_NOW, a test sets its clock). */
  setClock(now: Date): Promise<void>;
  say(line: string): void;
  /** Only these of the demo's units file (tests keep the demo small); all of them by default. */
  only?: string[];
}

type Tokens = { filler: ApiClient; leader: ApiClient; reviewer: ApiClient };
const PLAN = `/api/v1/plans/${DEMO_YEAR}`;
const reportPath = (unit: string, period: string) => `/api/v1/units/${unit}/reports/${period}`;
const lower = (code: string) => code.toLowerCase();

/**
 * The demo year, filed through the public API like any client: the 2024 plan published in December
 * 2023 (owed from January), five city schools with a published split, January to March with units on
 * time, late and missing, one return with a reason, one amendment, and the platform's figures with a
 * few differences. Returns one account per role.
 */
export async function runDemo(ctx: DemoContext): Promise<DemoAccount[]> {
  const password = randomBytes(9).toString('base64url');
  await ctx.setClock(DEMO_SETUP_AT);
  const admin = await ctx.client.login(ctx.admin.ADMIN_USERNAME, ctx.admin.ADMIN_PASSWORD);
  await admin.command('PUT', `${PLAN}?reportingFrom=${DEMO_MONTHS[0]}`, ctx.planCsv, { type: 'text/csv' });
  const plan = (await admin.get<{ units: PlanUnit[] }>(PLAN)).body.units;
  await splitRegions(admin, plan);
  const units = demoUnits(plan).filter((u) => !ctx.only || ctx.only.includes(u));
  const filings = demoFilings(plan, units);

  ctx.say(`    creating accounts for ${units.length} units`);
  const create = (username: string, role: string, unitCode: string) =>
    admin.command('POST', '/api/v1/users', { username, password, displayName: username, role, unitCode });
  await create('auditor', 'auditor', 'province');
  const operators = new Map<string, string>();
  for (const region of new Set(DEMO_SCHOOLS.map((s) => s.region))) {
    operators.set(region, `${lower(region)}-operator`);
    await create(`${lower(region)}-operator`, 'region-operator', region);
  }
  const reviewers = new Map<string, ApiClient>();
  for (const [region, username] of operators)
    reviewers.set(region, await ctx.client.login(username, password));
  const tokens = new Map<string, Tokens>();
  await inParallel(units, async (unit) => {
    await create(`${lower(unit)}-filler`, 'filler', unit);
    await create(`${lower(unit)}-leader`, 'leader', unit);
    const school = DEMO_SCHOOLS.find((s) => s.code === unit);
    tokens.set(unit, {
      filler: await ctx.client.login(`${lower(unit)}-filler`, password),
      leader: await ctx.client.login(`${lower(unit)}-leader`, password),
      reviewer: school ? reviewers.get(school.region)! : admin,
    });
  });

  for (const period of DEMO_MONTHS) {
    const month = filings.filter((f) => f.period === period);
    await ctx.setClock(onTimeAt(period));
    await inParallel(
      month.filter((f) => f.timeliness === 'on-time'),
      (f) => submit(tokens.get(f.unit)!, f.unit, period, f.figures),
    );
    if (period === DEMO_MONTHS[1]) {
      for (const f of filings.filter((x) => x.amended)) await amend(tokens.get(f.unit)!, f);
    }
    await ctx.setClock(lateAt(period));
    await inParallel(
      month.filter((f) => f.timeliness === 'late'),
      (f) => submit(tokens.get(f.unit)!, f.unit, period, f.figures),
    );
    await inParallel(
      month.filter((f) => f.accepted),
      (f) => review(tokens.get(f.unit)!, f),
    );
    await uploadPlatformFigures(admin, period, filings, units);
    const count = (t: string) => month.filter((f) => f.timeliness === t).length;
    ctx.say(`    ${period}: ${count('on-time')} on time, ${count('late')} late, ${count('missing')} missing`);
  }

  const college = units.find((u) => u.startsWith('U'))!;
  return [
    { role: 'auditor 审计人员', username: 'auditor', password },
    { role: 'region-operator 地区经办人', username: operators.get('R01')!, password },
    { role: 'filler 填报人', username: `${lower(college)}-filler`, password },
    { role: 'leader 领导小组组长', username: `${lower(college)}-leader`, password },
  ];
}

async function splitRegions(admin: ApiClient, plan: PlanUnit[]): Promise<void> {
  const shares = schoolShares(plan);
  for (const school of DEMO_SCHOOLS) {
    await admin.command('POST', '/api/v1/units', {
      code: school.code,
      name: school.name,
      kind: 'city-secondary',
      parentCode: school.region,
    });
  }
  for (const region of new Set(DEMO_SCHOOLS.map((s) => s.region))) {
    const path = `${PLAN}/regions/${region}/allocation`;
    let etag = (await admin.get(path)).etag;
    for (const school of DEMO_SCHOOLS.filter((s) => s.region === region)) {
      const { training, certified, onePlusX } = shares.get(school.code)!;
      etag = (
        await admin.command(
          'PUT',
          `${path}/schools/${school.code}`,
          { training, certified, onePlusX },
          { ifMatch: etag },
        )
      ).etag;
    }
    await admin.command('POST', `${path}/publish`, undefined, { ifMatch: etag });
  }
}

/** Figures, the filler's signature, the leader's: submitted. Answers the report's ETag. */
async function submit(t: Tokens, unit: string, period: string, figures: Figures, etag?: string | null) {
  const path = reportPath(unit, period);
  etag ??= (await t.filler.get(path)).etag;
  etag = (await t.filler.command('PUT', path, { figures }, { ifMatch: etag })).etag;
  return submitSigned(t, path, etag);
}

async function review(t: Tokens, f: DemoFiling): Promise<void> {
  const path = reportPath(f.unit, f.period);
  let etag = (await t.reviewer.get(path)).etag;
  if (f.returned) {
    etag = (
      await t.reviewer.command(
        'POST',
        `${path}/review`,
        { decision: 'return', reason: f.returned.reason },
        { ifMatch: etag },
      )
    ).etag;
    etag = await submit(t, f.unit, f.period, f.returned.corrected, etag);
  }
  await t.reviewer.command('POST', `${path}/review`, { decision: 'accept' }, { ifMatch: etag });
}

async function amend(t: Tokens, f: DemoFiling): Promise<void> {
  const path = reportPath(f.unit, f.period);
  const opened = await t.filler.command(
    'POST',
    `${path}/amendments`,
    { figures: f.amended!.figures, reason: f.amended!.reason },
    { ifMatch: (await t.filler.get(path)).etag },
  );
  const etag = await submitSigned(t, path, opened.etag);
  await t.reviewer.command('POST', `${path}/review`, { decision: 'accept' }, { ifMatch: etag });
}

async function submitSigned(t: Tokens, path: string, etag: string | null) {
  etag = (
    await t.filler.command(
      'POST',
      `${path}/signatures`,
      { name: '王芳', phone: '0371-69691788' },
      { ifMatch: etag },
    )
  ).etag;
  return (await t.leader.command('POST', `${path}/signatures`, { name: '赵强' }, { ifMatch: etag })).etag;
}

async function uploadPlatformFigures(
  admin: ApiClient,
  period: string,
  filings: DemoFiling[],
  units: string[],
) {
  const rows = filings
    .filter((f) => f.period === period && !DEMO_SCHOOLS.some((s) => s.code === f.unit))
    .map((f) => [f.unit, platformTraining(f, units.indexOf(f.unit))] as const)
    .filter(([, training]) => training !== null);
  const csv = ['unitCode,training', ...rows.map(([unit, training]) => `${unit},${training}`)].join('\n');
  await admin.command('PUT', `${PLAN}/platform-figures/${period}`, Buffer.from(`${csv}\n`), {
    type: 'text/csv',
  });
}

/** A few requests at a time: the api hashes passwords and waits on the database meanwhile. */
async function inParallel<T>(items: T[], work: (item: T) => Promise<unknown>, width = 4): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}
