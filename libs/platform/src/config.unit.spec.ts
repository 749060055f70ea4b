import { ConfigError, loadConfig, trustProxySetting } from './config';

describe('configuration from the environment', () => {
  it('takes the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/skills',
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_ROLE: 'skills_app',
    });
    expect(config.FAKE_NOW).toBeUndefined();
  });

  it('names every bad setting in one readable message', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', JWT_SECRET: 'short' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', JWT_SECRET: 'short' });
    } catch (error) {
      expect((error as Error).message).toMatch(/DATABASE_URL/);
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/JWT_SECRET 至少需要 32 个字符/);
    }
  });

  it('starts the clock at FAKE_NOW outside production, and ignores it in production', () => {
    expect(loadConfig({ FAKE_NOW: '2024-03-30T15:59:00Z' }).FAKE_NOW?.toISOString()).toBe(
      '2024-03-30T15:59:00.000Z',
    );
    expect(loadConfig({ FAKE_NOW: '2024-03-30T15:59:00Z', NODE_ENV: 'production' }).FAKE_NOW).toBeUndefined();
    expect(() => loadConfig({ FAKE_NOW: 'next tuesday' })).toThrow(/FAKE_NOW/);
  });

  it('bounds a token lifetime at 12 hours', () => {
    expect(loadConfig({ JWT_TTL_SECONDS: '43200' }).JWT_TTL_SECONDS).toBe(43200);
    expect(() => loadConfig({ JWT_TTL_SECONDS: '43201' })).toThrow(/JWT_TTL_SECONDS 不能超过 43200/);
  });

  it('believes no X-Forwarded-For unless TRUST_PROXY names the proxies', () => {
    expect(trustProxySetting(loadConfig({}).TRUST_PROXY)).toBe(false);
    expect(trustProxySetting(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY)).toBe(1);
    expect(trustProxySetting(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY)).toEqual([
      'loopback',
      '10.0.0.0/8',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone; please' })).toThrow(/TRUST_PROXY/);
  });
});
