// Settings every integration test process shares. Real PostgreSQL and Redis on this machine.
process.env.NODE_ENV = 'test';
process.env.JWT_SECRET ??= 'test-secret-that-is-long-enough-0123456789';
process.env.LOG_LEVEL ??= 'silent';
process.env.PG_ADMIN_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
// Many test files and processes share one PostgreSQL (max_connections 100): keep each pool small.
process.env.DATABASE_POOL_SIZE ??= '5';
