import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DEADLINE_JOBS, DEADLINES_QUEUE } from '@app/application/deadlines/deadline-jobs';
import { type Figures, reportSteps, reportUrl } from '../reports/report-steps';
import { publishPlan2024, registerSchool } from '../support/plan';
import { cycles, sleep } from './chaos-mode';
import { type Child, startApi, startWorker, stopAll, uniquePrefix } from './support/children';
import { eventually, type Ledger, privateLedger } from './support/ledger';
import { asHarness, type Remote, remote } from './support/remote';

/**
 * Two API and two worker processes on one database and one Redis, as a deployment behind a load
 * balancer runs them: nothing may rely on one process's memory. Clients send their requests to both APIs.
 */
const REDIS_URL = 'redis://127.0.0.1:6379';
// 10:00 on 31 March in Shanghai: January, February and March are past their deadlines.
const FAKE_NOW = '2024-03-31T02:00:00.000Z';
const MONTHS_DUE = 3;
const TRANSFER_MS = cycles(20_000, 5_000);
const REVIEWED_UNITS = cycles(10, 3);
const IDEMPOTENT_ROUNDS = cycles(60, 15);
const ALLOCATION = '/api/v1/plans/2024/regions/R18/allocation';
const SCHOOLS = ['R18-S1', 'R18-S2', 'R18-S3'];
const METRICS = ['training', 'certified', 'onePlusX'] as const;
const INITIAL: Record<string, Record<string, number>> = {
  'R18-S1': { training: 700, certified: 600, onePlusX: 100 },
  'R18-S2': { training: 500, certified: 400, onePlusX: 60 },
  'R18-S3': { training: 270, certified: 200, onePlusX: 50 },
};

describe('two APIs and two workers against one database', () => {
  let ledger: Ledger;
  let children: Child[] = [];
  let apis: Remote[];
  let admin: string;
  let operator: string;
  const prefix = uniquePrefix('mp');
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(DEADLINES_QUEUE, { connection: redis, prefix });
  const figures: string[] = [];
  const options = () => ({
    databaseUrl: ledger.url,
    redisUrl: REDIS_URL,
    prefix,
    fakeNow: FAKE_NOW,
    env: { WORKER_SWEEP_EVERY_MS: '1000', WORKER_WATCH_EVERY_MS: '1000', WORKER_SELF_CHECK_MS: '1000' },
  });

  beforeAll(async () => {
    ledger = await privateLedger();
    children = await Promise.all([startApi('api-1', options()), startApi('api-2', options())]);
    const tokens = new Map<string, string>();
    apis = children.map((c) => remote(c.url, tokens));
    admin = await apis[0].token('admin');
    await publishPlan2024(asHarness(apis[0]), { reportingFrom: '2024-01' });
    for (const [i, school] of SCHOOLS.entries()) await registerSchool(asHarness(apis[i % 2]), school, 'R18');
    operator = await apis[1].user('r18-op', 'region-operator', 'R18');
  });

  afterAll(async () => {
    await stopAll(children);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    redis.disconnect();
    await ledger?.close();
    console.log(`multi-process: ${figures.join('; ')}`);
  });

  it('records one overdue event per missing report while both workers sweep', async () => {
    // Both start at once: their start-up catch-ups race, then their scheduled sweeps do, every second.
    const workers = await Promise.all([
      startWorker('worker-1', options()),
      startWorker('worker-2', options()),
    ]);
    children.push(...workers);
    const [{ owed }] = await ledger.db.query<{ owed: number }>(
      // The plan's units owe January to March; the schools hold no published share yet, so owe nothing.
      `SELECT count(*)::int * ${MONTHS_DUE} AS owed FROM plan_units WHERE year = 2024`,
    );
    await eventually(ledger.overdueCount, (n) => n >= owed, 30_000);
    // Let several more scheduled sweeps run: none may add anything.
    await eventually(
      async () => sweepsBy(await queue.getJobs(['completed'], 0, 1000)),
      (by) => [...by.values()].reduce((a, b) => a + b, 0) >= 4,
      30_000,
    );
    const rows = await ledger.overdue();
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(rows).toHaveLength(owed);
    const by = sweepsBy(await queue.getJobs(['completed'], 0, 1000));
    figures.push(
      `${owed} overdue owed, ${rows.length} recorded, 0 doubled, scheduled sweeps per worker ${JSON.stringify(
        workers.map((w) => by.get(w.bullName) ?? 0),
      )}`,
    );
  });

  it('keeps every allocation sum under racing transfers sent to both APIs', async () => {
    let version = 0;
    for (const school of SCHOOLS) {
      const res = await apis[version % 2]
        .as(operator)
        .put(`${ALLOCATION}/schools/${school}`)
        .set('If-Match', `"${version}"`)
        .send(INITIAL[school]);
      expect(res.status).toBe(200);
      version++;
    }
    const published = await apis[0]
      .as(operator)
      .post(`${ALLOCATION}/publish`)
      .set('If-Match', `"${version}"`);
    expect(published.status).toBe(200);

    const applied: { from: string; to: string; metric: string; amount: number }[] = [];
    const statuses = new Map<string, number>();
    const until = Date.now() + TRANSFER_MS;
    const client = async (c: number) => {
      const api = apis[c % 2];
      while (Date.now() < until) {
        const current = await api.as(operator).get(ALLOCATION);
        const [from, to] = shuffle(SCHOOLS);
        const transfer = {
          from,
          to,
          metric: METRICS[Math.floor(Math.random() * METRICS.length)],
          amount: 1 + Math.floor(Math.random() * 60),
          reason: '并发调剂',
        };
        const res = await api
          .as(operator)
          .post(`${ALLOCATION}/transfers`)
          .set('If-Match', current.headers.etag)
          .send(transfer);
        const outcome = `${res.status}${res.body?.code ? ` ${res.body.code}` : ''}`;
        statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
        if (res.status === 200) applied.push(transfer);
      }
    };
    await Promise.all([0, 1, 2, 3, 4, 5].map(client));

    const unexpected = [...statuses.keys()].filter(
      (s) => !['200', '412 VERSION_CONFLICT', '422 TRANSFER_EXCEEDS_SHARE'].includes(s),
    );
    expect(unexpected).toEqual([]);
    expect(applied.length).toBeGreaterThan(0);
    const after = await apis[1].as(operator).get(ALLOCATION);
    expect(after.body.allocated).toEqual(after.body.quota);
    const replayed = structuredClone(INITIAL);
    for (const t of applied) {
      replayed[t.from][t.metric] -= t.amount;
      replayed[t.to][t.metric] += t.amount;
    }
    for (const school of after.body.schools) {
      expect(school.quota).toEqual(replayed[school.code]);
      for (const metric of METRICS) expect(school.quota[metric]).toBeGreaterThanOrEqual(0);
    }
    const sums = await ledger.db.query(
      `SELECT sum(training)::int AS training, sum(certified)::int AS certified, sum(one_plus_x)::int AS "onePlusX"
         FROM allocation_shares WHERE region_code = 'R18'`,
    );
    expect(sums[0]).toEqual(after.body.quota);
    const [{ n }] = await ledger.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE stream_id = 'allocation-2024-R18' AND type = 'QuotaTransferred'`,
    );
    expect(n).toBe(applied.length);
    figures.push(
      `transfers for ${TRANSFER_MS / 1000} s from 6 clients: ${JSON.stringify(Object.fromEntries(statuses))}, sums hold`,
    );
  });

  it('accepts each revision once when both APIs get the same review at the same If-Match', async () => {
    const units = Array.from({ length: REVIEWED_UNITS }, (_, i) => `U${String(i + 1).padStart(2, '0')}`);
    const steps = apis.map((api) => reportSteps(asHarness(api)));
    const month: Figures = { training: 100, certified: 80, advanced: 30, onePlusX: 10 };
    let losers = 0;
    const raceAccept = async (unit: string) => {
      const etag = await steps[0].etag(admin, unit, '2024-03');
      const results = await Promise.all(
        [0, 1, 0, 1, 0, 1].map((i) =>
          apis[i]
            .as(admin)
            .post(`${reportUrl(unit, '2024-03')}/review`)
            .set('If-Match', etag)
            .send({ decision: 'accept' }),
        ),
      );
      const outcomes = results.map((r) => `${r.status}${r.body?.code ? ` ${r.body.code}` : ''}`).sort();
      expect(outcomes).toEqual(['200', ...Array(5).fill('412 VERSION_CONFLICT')]);
      losers += 5;
    };
    for (const unit of units) {
      const people = {
        filler: await apis[0].user(`${unit}-filler`, 'filler', unit),
        leader: await apis[1].user(`${unit}-leader`, 'leader', unit),
      };
      expect((await steps[0].enter(people.filler, unit, '2024-03', month)).status).toBe(200);
      expect((await steps[1].sign(people.filler, unit, '2024-03', '张三', '0371-69691788')).status).toBe(200);
      expect((await steps[0].sign(people.leader, unit, '2024-03', '李四')).status).toBe(200);
      await raceAccept(unit);
      const amended = await steps[1].amend(
        people.filler,
        unit,
        '2024-03',
        { ...month, training: 120 },
        '补录',
      );
      expect(amended.status).toBe(200);
      expect((await steps[0].sign(people.filler, unit, '2024-03', '张三', '0371-69691788')).status).toBe(200);
      expect((await steps[1].sign(people.leader, unit, '2024-03', '李四')).status).toBe(200);
      await raceAccept(unit);
    }
    const accepted = await ledger.db.query<{ stream_id: string; revision: string; n: number }>(
      `SELECT stream_id, data->>'revision' AS revision, count(*)::int AS n FROM events
        WHERE type = 'ReportAccepted' GROUP BY 1, 2`,
    );
    expect(accepted.filter((r) => r.n !== 1)).toEqual([]);
    expect(accepted).toHaveLength(units.length * 2);
    const official = await apis[1].as(admin).get(reportUrl(units[0], '2024-03'));
    expect(official.body.official).toMatchObject({ revision: 2, figures: { ...month, training: 120 } });
    figures.push(
      `${units.length * 2} revisions reviewed by 6 racing requests each: ${units.length * 2} accepted once, ${losers} got 412`,
    );
  });

  it('honours an Idempotency-Key sent to both APIs at once, and replays the first answer', async () => {
    const outcomes = new Map<string, number>();
    for (let round = 0; round < IDEMPOTENT_ROUNDS; round++) {
      const key = randomUUID();
      const username = `idem-${round}`;
      const body = {
        username,
        password: 'password-123',
        displayName: username,
        role: 'auditor',
        unitCode: 'province',
      };
      const send = (api: Remote) =>
        api.as(admin).post('/api/v1/users').set('Idempotency-Key', key).send(body);
      const both = await Promise.all(apis.map(send));
      const outcome = both
        .map((r) => `${r.status}${r.body?.code ? ` ${r.body.code}` : ''}`)
        .sort()
        .join(' + ');
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      const first = both.filter((r) => r.status === 201);
      const others = both.filter((r) => r.status !== 201);
      expect(first.length).toBeGreaterThanOrEqual(1);
      for (const r of first) expect(r.body).toEqual(first[0].body);
      for (const r of others) expect([r.status, r.body.code]).toEqual([409, 'IDEMPOTENCY_IN_PROGRESS']);
      for (const api of apis) {
        const again = await eventually(
          () => send(api),
          (r) => r.status !== 409,
          5000,
        );
        expect(again.status).toBe(201);
        expect(again.body).toEqual(first[0].body);
        expect(again.headers['idempotent-replayed']).toBe('true');
      }
    }
    const streams = await ledger.db.query<{ stream_id: string; n: number }>(
      `SELECT stream_id, count(*)::int AS n FROM events WHERE stream_id LIKE 'user-idem-%' GROUP BY 1`,
    );
    expect(streams).toHaveLength(IDEMPOTENT_ROUNDS);
    expect(streams.filter((s) => s.n !== 1)).toEqual([]);
    figures.push(
      `${IDEMPOTENT_ROUNDS} keys sent to both APIs at once: ${JSON.stringify(Object.fromEntries(outcomes))}, one event each, retries replayed`,
    );
  });

  it('leaves every process running', async () => {
    await sleep(500);
    expect(children.filter((c) => !c.alive()).map((c) => `${c.name}\n${c.output()}`)).toEqual([]);
  });
});

function sweepsBy(jobs: { name: string; processedBy?: string }[]): Map<string, number> {
  const by = new Map<string, number>();
  for (const job of jobs)
    if (job.name === DEADLINE_JOBS.sweep && job.processedBy)
      by.set(job.processedBy, (by.get(job.processedBy) ?? 0) + 1);
  return by;
}

function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
