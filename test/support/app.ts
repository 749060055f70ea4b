import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/bootstrap';
import { Clock, ManualClock } from '../../libs/platform/src/clock';
import { Database } from '../../libs/platform/src/database';
import { createTestDatabase } from './databases';

export const ADMIN = { username: 'admin', password: 'admin-password-1' };

/**
 * The whole API in-process on a private database, with a clock the test moves by hand.
 * Real PostgreSQL and Redis; nothing mocked but time.
 */
export async function startApp(options: { now?: string } = {}) {
  const database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.ADMIN_USERNAME = ADMIN.username;
  process.env.ADMIN_PASSWORD = ADMIN.password;
  const clock = new ManualClock(new Date(options.now ?? '2024-03-15T02:00:00.000Z'));
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app: INestApplication = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  await configureApp(app);
  const http = app.getHttpServer();
  const tokens = new Map<string, string>();

  const harness = {
    app,
    clock,
    db: app.get(Database),
    http,
    request: () => request(http),
    async login(username: string, password: string): Promise<string> {
      const res = await request(http).post('/api/v1/auth/login').send({ username, password });
      if (res.status !== 200)
        throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(username, res.body.accessToken);
      return res.body.accessToken;
    },
    async token(username: string): Promise<string> {
      return (
        tokens.get(username) ??
        (username === ADMIN.username
          ? harness.login(ADMIN.username, ADMIN.password)
          : Promise.reject(new Error(`no token for ${username}`)))
      );
    },
    /** Creates a user as the admin (or `by`) and logs it in; returns its bearer token. */
    async user(username: string, role: string, unitCode: string, by = ADMIN.username): Promise<string> {
      const res = await request(http)
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${await harness.token(by)}`)
        .send({ username, password: `${username}-password`, displayName: username, role, unitCode });
      if (res.status !== 201)
        throw new Error(`create ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return harness.login(username, `${username}-password`);
    },
    as(token: string) {
      const auth = (r: request.Test) => r.set('Authorization', `Bearer ${token}`);
      return {
        get: (url: string) => auth(request(http).get(url)),
        post: (url: string) => auth(request(http).post(url)),
        put: (url: string) => auth(request(http).put(url)),
        delete: (url: string) => auth(request(http).delete(url)),
      };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
  return harness;
}

export type Harness = Awaited<ReturnType<typeof startApp>>;
