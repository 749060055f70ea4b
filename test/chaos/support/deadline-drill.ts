import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DEADLINES_QUEUE } from '@app/application/deadlines/deadline-jobs';
import { reportSteps } from '../../reports/report-steps';
import { publishPlan2024, registerSchool } from '../../support/plan';
import { type Child, startApi, startWorker, stopAll, uniquePrefix } from './children';
import { eventually, privateLedger } from './ledger';
import { asHarness, remote } from './remote';

/** The March 2024 deadline: the end of the 30th in Shanghai. */
export const MARCH_DEADLINE = Date.parse('2024-03-30T16:00:00.000Z');

/**
 * One API and two workers whose clocks reach the March deadline `leadMs` after they start, with
 * fast schedulers (sweep and watch every second, self-check every 300 ms). Ready when January and
 * February, already past, have their overdue events and U01 has submitted March on time.
 */
export async function startDeadlineDrill(tag: string, redisUrl: string, leadMs: number) {
  const ledger = await privateLedger();
  const prefix = uniquePrefix(tag);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(DEADLINES_QUEUE, { connection: redis, prefix });
  const children: Child[] = [];
  const startedAt = Date.now();
  const options = {
    databaseUrl: ledger.url,
    redisUrl,
    prefix,
    fakeNow: new Date(MARCH_DEADLINE - leadMs).toISOString(),
    env: { WORKER_SWEEP_EVERY_MS: '1000', WORKER_WATCH_EVERY_MS: '1000', WORKER_SELF_CHECK_MS: '300' },
  };
  const close = async () => {
    await stopAll(children);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close().catch(() => undefined);
    redis.disconnect();
    await ledger.close();
  };
  try {
    children.push(
      ...(await Promise.all([
        startApi('api', options),
        startWorker('worker-1', options),
        startWorker('worker-2', options),
      ])),
    );
    const api = remote(children[0].url);
    await publishPlan2024(asHarness(api), { reportingFrom: '2024-01' });
    await registerSchool(asHarness(api), 'R01-S1', 'R01');
    const [{ units }] = await ledger.db.query<{ units: number }>(
      // R01-S1 holds no published share, so it owes nothing: the plan's units owe every month.
      'SELECT count(*)::int AS units FROM plan_units WHERE year = 2024',
    );
    const steps = reportSteps(asHarness(api));
    const filler = await api.user('u01-filler', 'filler', 'U01');
    const leader = await api.user('u01-leader', 'leader', 'U01');
    const figures = { training: 100, certified: 80, advanced: 30, onePlusX: 10 };
    for (const res of [
      await steps.enter(filler, 'U01', '2024-03', figures),
      await steps.sign(filler, 'U01', '2024-03', '张三', '0371-69691788'),
      await steps.sign(leader, 'U01', '2024-03', '李四'),
    ])
      if (res.status !== 200) throw new Error(`U01 March: ${res.status} ${JSON.stringify(res.body)}`);
    const u01 = await api.as(filler).get('/api/v1/units/U01/reports/2024-03');
    if (u01.body.timeliness !== 'on-time')
      throw new Error(`the drill's set-up took too long: U01 is ${u01.body.timeliness}, not on time`);
    await eventually(ledger.overdueCount, (n) => n >= units * 2, 20_000);
    return {
      ledger,
      queue,
      api,
      children,
      /** Every unit owes January, February and March, except U01's March (on time). */
      owed: units * 3 - 1,
      marchOwed: units - 1,
      /** Real time at which the children's clocks reach the deadline (give or take their start-up). */
      deadlineAt: startedAt + leadMs,
      /** March's overdue events by who recorded them: a BullMQ job, or a worker's in-process sweep. */
      marchRecorded: async () =>
        Object.fromEntries(
          (
            await ledger.db.query<{ writer: string; n: number }>(
              `SELECT CASE WHEN metadata->>'requestId' LIKE 'job-%' THEN 'job' ELSE metadata->>'requestId' END
                      AS writer, count(*)::int AS n
                 FROM events WHERE type = 'ReportMarkedOverdue' AND stream_id LIKE '%-2024-03' GROUP BY 1`,
            )
          ).map((r) => [r.writer, r.n]),
        ) as Record<string, number>,
      /** Every owed overdue event is there, none twice; returns how many. */
      async checkOverdueOnce(owed: number) {
        const rows = await ledger.overdue();
        const doubled = rows.filter((r) => r.n !== 1);
        if (doubled.length > 0) throw new Error(`overdue recorded twice: ${JSON.stringify(doubled)}`);
        if (rows.length !== owed) throw new Error(`${rows.length} overdue events, ${owed} owed`);
        if (rows.some((r) => r.stream_id === 'report-U01-2024-03'))
          throw new Error('U01 submitted March on time and was marked overdue');
        return rows.length;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export type DeadlineDrill = Awaited<ReturnType<typeof startDeadlineDrill>>;
