import { startApp, type Harness } from '../support/app';

/**
 * GET /health with BACKUP_MAX_AGE_MS: `backup` tells whether the last good backup is recent enough.
 * A stale backup never turns the answer into 503 (that would take a serving api out of rotation).
 */
jest.setTimeout(60_000);

describe('the backup health signal', () => {
  let h: Harness;
  const HOUR = 3_600_000;
  const record = (finishedAt: Date, ok: boolean) =>
    h.db.query(`INSERT INTO backups (started_at, finished_at, ok, dir) VALUES ($1, $1, $2, '/backups/x')`, [
      finishedAt,
      ok,
    ]);

  beforeAll(async () => {
    process.env.BACKUP_MAX_AGE_MS = String(26 * HOUR);
    try {
      h = await startApp({ now: '2024-03-10T02:00:00.000Z' });
    } finally {
      delete process.env.BACKUP_MAX_AGE_MS;
    }
  });
  afterAll(() => h.close());

  it('says none before any good backup, and a failed one does not count', async () => {
    await record(new Date('2024-03-10T01:00:00.000Z'), false);
    const res = await h.request().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      db: 'up',
      redis: 'up',
      backup: { status: 'none', lastGoodAt: null, ageSeconds: null, maxAgeSeconds: 26 * 3600 },
    });
  });

  it('is ok while the last good backup is younger than BACKUP_MAX_AGE_MS', async () => {
    await record(new Date('2024-03-09T02:00:00.000Z'), true);
    const res = await h.request().get('/health');
    expect(res.body.backup).toEqual({
      status: 'ok',
      lastGoodAt: '2024-03-09T02:00:00.000Z',
      ageSeconds: 24 * 3600,
      maxAgeSeconds: 26 * 3600,
    });
  });

  it('turns stale when it is older, and the api still answers 200 ok', async () => {
    h.clock.set('2024-03-10T04:00:01.000Z');
    const res = await h.request().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', backup: { status: 'stale', ageSeconds: 26 * 3600 + 1 } });
  });

  it('the application role may add backup records and read them, never change or remove one', async () => {
    const asApp = (sql: string) =>
      h.db.transaction(async (tx) => {
        await tx.query('SET LOCAL ROLE skills_app');
        return tx.query(sql);
      });
    await expect(asApp(`UPDATE backups SET ok = true`)).rejects.toThrow(/permission denied/);
    await expect(asApp(`DELETE FROM backups`)).rejects.toThrow(/permission denied/);
    await expect(asApp(`SELECT count(*) FROM backups`)).resolves.toHaveLength(1);
  });
});
