import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../apps/quickstart/src/api-client';
import { parseEnv } from '../../apps/quickstart/src/env-file';
import { freePort, QuickstartRun, untilPortFree } from './support';

jest.setTimeout(600_000);

/**
 * `npm run quickstart -- --embedded` end to end, with nothing but Node: PGlite in the quickstart's
 * process, no Redis, the compiled api and worker. DATABASE_URL and REDIS_URL point at closed ports: a
 * run that used them would fail.
 */
describe('the embedded mode', () => {
  let varDir: string;
  let port: number;
  let run: QuickstartRun | undefined;
  const figures = { training: 820, certified: 600, advanced: 320, onePlusX: 110 };

  const start = async (args = ['--embedded']) => {
    run = new QuickstartRun(args, {
      QUICKSTART_VAR_DIR: varDir,
      PORT: String(port),
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/not-this-one',
      REDIS_URL: 'redis://127.0.0.1:1',
      // The plan is loaded in January 2024, so no month is overdue and the worker stays quiet.
      FAKE_NOW: '2024-01-10T02:00:00.000Z',
      LOG_LEVEL: 'warn',
    });
    await run.ready();
    return run;
  };
  const secrets = () => parseEnv(readFileSync(join(varDir, 'quickstart.env'), 'utf8'));
  const api = () => new ApiClient(`http://127.0.0.1:${port}`);
  const admin = () => api().login(secrets().ADMIN_USERNAME, secrets().ADMIN_PASSWORD);

  beforeAll(async () => {
    varDir = mkdtempSync(join(tmpdir(), 'skills-quickstart-'));
    port = await freePort();
  });

  afterEach(async () => {
    await run?.stop('SIGKILL');
    run = undefined;
    // Its api and worker end themselves once their parent is gone: the next test needs the port.
    await untilPortFree(port);
  });

  afterAll(() => rmSync(varDir, { recursive: true, force: true }));

  it('starts on PGlite without Redis, loads the plan, and carries a report through the chain', async () => {
    const quickstart = await start();
    expect(quickstart.output).toMatch(/cannot separate logins/);
    expect(quickstart.output).toContain(join(varDir, 'pgdata'));
    expect(statSync(join(varDir, 'quickstart.env')).mode & 0o777).toBe(0o600);
    expect(secrets()).toMatchObject({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: expect.any(String) });

    const health = await api().send('GET', '/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', db: 'up', redis: 'none' } });

    const root = await admin();
    expect((await root.get<{ units: unknown[] }>('/api/v1/plans/2024')).body.units).toHaveLength(151);
    expect((await root.get('/api/v1/console/context')).body).toMatchObject({ year: 2024, period: '2024-01' });
    for (const role of ['filler', 'leader']) {
      await root.command('POST', '/api/v1/users', {
        username: `u01-${role}`,
        password: `u01-${role}-password`,
        displayName: role,
        role,
        unitCode: 'U01',
      });
    }
    const filler = await api().login('u01-filler', 'u01-filler-password');
    const leader = await api().login('u01-leader', 'u01-leader-password');
    const path = '/api/v1/units/U01/reports/2024-01';
    let etag = (await filler.command('PUT', path, { figures }, { ifMatch: '"0"' })).etag;
    etag = (
      await filler.command(
        'POST',
        `${path}/signatures`,
        { name: '张三', phone: '0371-69691788' },
        { ifMatch: etag },
      )
    ).etag;
    etag = (await leader.command('POST', `${path}/signatures`, { name: '李四' }, { ifMatch: etag })).etag;
    const accepted = await root.command('POST', `${path}/review`, { decision: 'accept' }, { ifMatch: etag });
    expect(accepted.body).toMatchObject({ status: 'accepted', timeliness: 'on-time', official: { figures } });

    expect(await quickstart.stop('SIGTERM')).toBe(0);
    expect(quickstart.output).toMatch(/stopping api, worker and the embedded database/);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('keeps the data over a restart', async () => {
    await start();
    const root = await admin();
    const report = await root.get('/api/v1/units/U01/reports/2024-01');
    expect(report.body).toMatchObject({ status: 'accepted', official: { figures } });
    const verified = await root.command('POST', '/api/v1/audit/verifications');
    expect(verified.body).toMatchObject({ ok: true, firstInvalid: null });
  });

  it('reuses the admin recorded in the database when var/quickstart.env is gone or broken', async () => {
    const before = secrets();
    writeFileSync(join(varDir, 'quickstart.env'), 'ADMIN_PASSW');
    const quickstart = await start();
    expect(quickstart.output).toMatch(/reusing its admin admin/);
    expect(secrets()).toMatchObject({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: before.ADMIN_PASSWORD });
    await admin();
    await quickstart.stop();

    rmSync(join(varDir, 'quickstart.env'));
    await start();
    expect(secrets().ADMIN_PASSWORD).toBe(before.ADMIN_PASSWORD);
    await admin();
  });

  it('gives the admin a new password with --reset-admin, recorded as an event', async () => {
    const before = secrets().ADMIN_PASSWORD;
    await start(['--embedded', '--reset-admin']);
    expect(secrets().ADMIN_PASSWORD).not.toBe(before);
    const root = await admin();
    await expect(api().login('admin', before)).rejects.toThrow(/401/);
    const history = await root.get<{ events: { type: string }[] }>(
      '/api/v1/audit/events?after=0&limit=1000&stream=user-admin',
    );
    expect(history.body.events.map((e) => e.type)).toContain('UserPasswordChanged');
  });

  it('says in one line what to do when the port is taken', async () => {
    const { createServer } = await import('node:net');
    // It accepts and never answers: the quickstart's health checks must not mistake it for the api.
    const sockets = new Set<import('node:net').Socket>();
    const blocker = createServer((socket) => sockets.add(socket));
    await new Promise<void>((done, fail) => {
      blocker.once('error', fail);
      blocker.listen(port, '0.0.0.0', done);
    });
    try {
      run = new QuickstartRun(['--embedded'], { QUICKSTART_VAR_DIR: varDir, PORT: String(port) });
      expect(await run.exited()).toBe(1);
      expect(run.output).toMatch(
        new RegExp(`quickstart: port ${port} is taken: .*PORT=${port + 1} npm run quickstart`),
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => blocker.close(done));
    }
  });
});
