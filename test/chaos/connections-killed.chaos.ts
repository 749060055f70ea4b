import { randomUUID } from 'node:crypto';
import { startApp, type Harness } from '../support/app';
import { withAdmin } from '../support/databases';
import { cycles, sleep } from './chaos-mode';

/**
 * Every application connection is terminated again and again (pg_terminate_backend) while clients
 * write through the API with idempotency keys and retry. No process exits, clients see at most a 503,
 * a retried command is applied once, and the service is healthy within 5 s of the last kill.
 */
const DURATION_MS = cycles(30_000, 6_000);

describe('connections killed under traffic', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApp();
  });
  afterAll(() => h.close());

  it('answers at most 503, applies each retried command once, and recovers within 5 s', async () => {
    const admin = await h.token('admin');
    const database = (await h.db.query<{ db: string }>('SELECT current_database() AS db'))[0].db;
    const statuses = new Map<string, number>();
    const created: string[] = [];
    let running = true;
    let kills = 0;

    const killer = (async () => {
      while (running) {
        const killed = await withAdmin((c) =>
          c.query(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
            [database],
          ),
        );
        kills += killed.rowCount ?? 0;
        await sleep(100 + Math.random() * 150);
      }
    })();

    const client = async (c: number) => {
      let n = 0;
      while (running) {
        const username = `chaos-${c}-${n++}`;
        const key = randomUUID();
        for (let attempt = 0; attempt < 50; attempt++) {
          const res = await h.as(admin).post('/api/v1/users').set('Idempotency-Key', key).send({
            username,
            password: 'password-123',
            displayName: username,
            role: 'auditor',
            unitCode: 'province',
          });
          const outcome = `${res.status}${res.body?.code ? ` ${res.body.code}` : ''}`;
          statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
          if (
            res.status === 201 ||
            res.body?.code === 'USERNAME_TAKEN' ||
            res.body?.code === 'IDEMPOTENCY_IN_PROGRESS'
          ) {
            created.push(username);
            break;
          }
          await sleep(50);
        }
      }
    };

    const clients = [0, 1, 2, 3, 4, 5].map(client);
    await sleep(DURATION_MS);
    running = false;
    await Promise.all(clients);
    await killer;
    const killedAt = Date.now();
    let healthyAfterMs = -1;
    while (Date.now() - killedAt < 10_000) {
      const res = await h.request().get('/health');
      if (res.status === 200) {
        healthyAfterMs = Date.now() - killedAt;
        break;
      }
      await sleep(100);
    }

    const serverErrors = [...statuses.keys()].filter(
      (s) => parseInt(s, 10) >= 500 && parseInt(s, 10) !== 503,
    );
    expect(serverErrors).toEqual([]);
    expect(kills).toBeGreaterThan(0);
    expect(healthyAfterMs).toBeGreaterThanOrEqual(0);
    expect(healthyAfterMs).toBeLessThanOrEqual(5000);
    const perStream = await h.db.query<{ stream_id: string; n: number }>(
      `SELECT stream_id, count(*)::int AS n FROM events WHERE stream_id LIKE 'user-chaos-%' GROUP BY stream_id`,
    );
    expect(perStream.filter((r) => r.n !== 1)).toEqual([]);
    expect(new Set(perStream.map((r) => r.stream_id))).toEqual(new Set(created.map((u) => `user-${u}`)));
    console.log(
      `connections-killed: ${kills} backends killed, ${created.length} users created once each, statuses ${JSON.stringify(Object.fromEntries(statuses))}, healthy after ${healthyAfterMs} ms`,
    );
  });
});
