import request from 'supertest';
import { ADMIN, type Harness } from '../../support/app';

/**
 * What the HTTP helpers of the test suite (plan.ts, report-steps.ts) need of a harness, against an API
 * running in another process.
 */
export function remote(baseUrl: string, tokens = new Map<string, string>()) {
  const api = {
    url: baseUrl,
    tokens,
    request: () => request(baseUrl),
    async login(username: string, password: string): Promise<string> {
      const res = await request(baseUrl).post('/api/v1/auth/login').send({ username, password });
      if (res.status !== 200)
        throw new Error(`login ${username} at ${baseUrl}: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(username, res.body.accessToken);
      return res.body.accessToken as string;
    },
    async token(username: string): Promise<string> {
      const known = tokens.get(username);
      if (known) return known;
      if (username === ADMIN.username) return api.login(ADMIN.username, ADMIN.password);
      throw new Error(`no token for ${username}`);
    },
    async user(username: string, role: string, unitCode: string, by = ADMIN.username): Promise<string> {
      const res = await request(baseUrl)
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${await api.token(by)}`)
        .send({ username, password: `${username}-password`, displayName: username, role, unitCode });
      if (res.status !== 201)
        throw new Error(`create ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return api.login(username, `${username}-password`);
    },
    as(token: string) {
      const auth = (r: request.Test) => r.set('Authorization', `Bearer ${token}`);
      return {
        get: (url: string) => auth(request(baseUrl).get(url)),
        post: (url: string) => auth(request(baseUrl).post(url)),
        put: (url: string) => auth(request(baseUrl).put(url)),
        delete: (url: string) => auth(request(baseUrl).delete(url)),
      };
    },
  };
  return api;
}

export type Remote = ReturnType<typeof remote>;

/** For the shared helpers typed on the in-process harness: they only use what `remote` has. */
export const asHarness = (api: Remote): Harness => api as unknown as Harness;
