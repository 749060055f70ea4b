import { ConfigError, deploymentDefaults, loadConfig, trustProxySetting, withoutRedis } from './config';

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

  it('starts the clock at FAKE_NOW only when NODE_ENV is explicitly development or test', () => {
    const fake = '2024-03-30T15:59:00Z';
    for (const NODE_ENV of ['development', 'test']) {
      expect(loadConfig({ FAKE_NOW: fake, NODE_ENV }).FAKE_NOW?.toISOString()).toBe(
        '2024-03-30T15:59:00.000Z',
      );
    }
    expect(loadConfig({ FAKE_NOW: fake, NODE_ENV: 'production' }).FAKE_NOW).toBeUndefined();
    expect(loadConfig({ FAKE_NOW: fake }).FAKE_NOW).toBeUndefined();
    expect(() => loadConfig({ FAKE_NOW: 'next tuesday', NODE_ENV: 'test' })).toThrow(/FAKE_NOW/);
  });

  it('makes production the default of the api and worker, and lets an explicit NODE_ENV win', () => {
    expect(loadConfig(deploymentDefaults({ FAKE_NOW: '2024-03-30T15:59:00Z' }))).toMatchObject({
      NODE_ENV: 'production',
      FAKE_NOW: undefined,
    });
    expect(deploymentDefaults({ NODE_ENV: 'development' }).NODE_ENV).toBe('development');
  });

  it('takes the migration connection apart from the runtime one', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://skills_api@db/skills',
      MIGRATION_DATABASE_URL: 'postgres://postgres@db/skills',
    });
    expect(config.MIGRATION_DATABASE_URL).toBe('postgres://postgres@db/skills');
    expect(() => loadConfig({ MIGRATION_DATABASE_URL: 'mysql://x' })).toThrow(/MIGRATION_DATABASE_URL/);
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

  it('takes REDIS_URL=none (no Redis at all) and refuses other non-redis URLs', () => {
    const config = loadConfig({ REDIS_URL: 'none' });
    expect(withoutRedis(config)).toBe(true);
    expect(withoutRedis(loadConfig({}))).toBe(false);
    expect(() => loadConfig({ REDIS_URL: 'nothing' })).toThrow(/REDIS_URL/);
  });

  it('accepts the embedded database outside production only', () => {
    expect(loadConfig({ EMBEDDED_DATABASE: 'true' }).EMBEDDED_DATABASE).toBe(true);
    expect(loadConfig({}).EMBEDDED_DATABASE).toBe(false);
    expect(() => loadConfig({ EMBEDDED_DATABASE: 'true', NODE_ENV: 'production' })).toThrow(
      /EMBEDDED_DATABASE/,
    );
  });
});
