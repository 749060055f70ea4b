import { ConfigError, loadConfig } from './config';

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
});
