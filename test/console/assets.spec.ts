import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, type Harness } from '../support/app';

const ASSETS = join(__dirname, '../../apps/api/src/console/assets');

describe('the web console is served by the API at / with its assets, without a token', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApp();
  });
  afterAll(() => h.close());

  it('serves the page in Chinese at /, loading its script as a module from the same origin', async () => {
    const res = await h.request().get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(res.text).toContain('<html lang="zh-CN">');
    expect(res.text).toContain('<script type="module" src="/console/js/main.js">');
    // No CDN: every script and style comes from this server.
    expect(res.text).not.toMatch(/https?:\/\//);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('serves every view module as JavaScript and the styles as CSS', async () => {
    for (const view of readdirSync(join(ASSETS, 'js/views'))) {
      const res = await h.request().get(`/console/js/views/${view}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    }
    const css = await h.request().get('/console/css/console.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it('answers 404 problem+json for anything that is not one of its files, including paths that climb out', async () => {
    for (const path of [
      '/console/nope.js',
      '/console/../package.json',
      '/console/%2e%2e/%2e%2e/package.json',
      '/console/js',
    ]) {
      const res = await h.request().get(path);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it("tells a logged-in console the server's month (the test clock), and nobody else", async () => {
    expect((await h.request().get('/api/v1/console/context')).status).toBe(401);
    const res = await h.as(await h.token('admin')).get('/api/v1/console/context');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      now: '2024-03-15T02:00:00.000Z',
      year: 2024,
      period: '2024-03',
      years: [2024],
      closedYears: [],
    });
  });
});
