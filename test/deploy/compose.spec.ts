import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * There is no Docker engine on the test machines, so the compose file is held to its promises by
 * reading it: with only JWT_SECRET, ADMIN_PASSWORD, POSTGRES_PASSWORD and REDIS_PASSWORD set, the stack
 * publishes only the api, and its database and Redis take passwords and are unreachable from outside.
 */
const text = readFileSync(join(__dirname, '../../docker-compose.yml'), 'utf8');
const compose = parse(text, { merge: true });
const services = compose.services as Record<string, any>;
const env = (name: string) => services[name].environment as Record<string, string>;

describe('docker-compose.yml', () => {
  it('publishes no database or Redis port, and nothing else on every interface but the api', () => {
    expect(services.postgres.ports).toBeUndefined();
    expect(services.redis.ports).toBeUndefined();
    for (const [name, service] of Object.entries(services)) {
      for (const port of (service.ports ?? []) as string[]) {
        if (name === 'api') expect(port).toBe('3000:3000');
        else expect(String(port)).toMatch(/^127\.0\.0\.1:/);
      }
    }
  });

  it('needs exactly four secrets from the environment; everything else has a default', () => {
    const required = [...text.matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(
      new Set(['JWT_SECRET', 'ADMIN_PASSWORD', 'POSTGRES_PASSWORD', 'REDIS_PASSWORD']),
    );
    const bare = [...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
    expect(bare).toEqual([]);
  });

  it('gives PostgreSQL a scram password and Redis requirepass', () => {
    expect(env('postgres')).toMatchObject({
      POSTGRES_PASSWORD: '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}',
      POSTGRES_HOST_AUTH_METHOD: 'scram-sha-256',
    });
    expect(services.postgres.command.join(' ')).toContain('password_encryption=scram-sha-256');
    expect(services.redis.command.join(' ')).toContain('--requirepass "$$REDIS_PASSWORD"');
    expect(env('redis').REDIS_PASSWORD).toBe('${REDIS_PASSWORD:?set REDIS_PASSWORD}');
  });

  it('migrates as the owner and runs the api and worker as the non-owner login it creates', () => {
    const migrate = env('migrate');
    expect(new URL(migrate.MIGRATION_DATABASE_URL).username).toBe('postgres');
    expect(migrate.PGPASSWORD).toContain('POSTGRES_PASSWORD');
    for (const name of ['api', 'worker']) {
      const app = env(name);
      expect(app.NODE_ENV).toBe('production');
      expect(new URL(app.DATABASE_URL).username).toBe(migrate.APP_DATABASE_USER);
      expect(app.DATABASE_PASSWORD_FILE).toBe(migrate.APP_DATABASE_PASSWORD_FILE);
      expect(app.PGPASSWORD).toBeUndefined();
      expect(app.MIGRATION_DATABASE_URL).toBeUndefined();
      expect(app.REDIS_URL).toBe('redis://:${REDIS_PASSWORD:?set REDIS_PASSWORD}@redis:6379');
      expect(services[name].depends_on.migrate).toEqual({ condition: 'service_completed_successfully' });
    }
  });

  it('configures the signing key and the checkpoint directory for both the api and the worker', () => {
    const mounted = (name: string, path: string) =>
      (services[name].volumes as string[]).some((v) => path.startsWith(v.split(':')[1]));
    for (const name of ['api', 'worker']) {
      const app = env(name);
      expect(app.AUDIT_SIGNING_KEY_FILE).toBe('/run/skills-keys/audit-signing-key.pem');
      expect(app.AUDIT_CHECKPOINT_DIR).toBe('/var/lib/skills-ledger/checkpoints');
      expect(mounted(name, app.AUDIT_SIGNING_KEY_FILE)).toBe(true);
      expect(mounted(name, app.AUDIT_CHECKPOINT_DIR)).toBe(true);
      expect(mounted(name, app.DATABASE_PASSWORD_FILE)).toBe(true);
    }
    expect(services.migrate.command.join(' ')).toContain('ledger keygen /run/skills-keys');
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(__dirname, '../../Dockerfile'), 'utf8');

  it("installs pg_dump of the compose file's server major version and points the backups at it", () => {
    const serverMajor = /^postgres:(\d+)/.exec(services.postgres.image)?.[1];
    expect(serverMajor).toBeDefined();
    expect(dockerfile).toMatch(new RegExp(`^ARG PG_CLIENT_MAJOR=${serverMajor}$`, 'm'));
    expect(dockerfile).toContain(
      'apt-get install -y --no-install-recommends "postgresql-client-${PG_CLIENT_MAJOR}"',
    );
    expect(dockerfile).toContain('ENV BACKUP_PG_BIN=/usr/lib/postgresql/${PG_CLIENT_MAJOR}/bin');
    // The repository is set up before the client is installed, in the same layer.
    const run = dockerfile.slice(dockerfile.indexOf('RUN apt-get update'));
    expect(run.indexOf('apt.postgresql.org.sh -y')).toBeLessThan(run.indexOf('postgresql-client-'));
  });
});
